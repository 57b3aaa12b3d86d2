package io.macroscope.connectors.xyz;

import io.macroscope.connectors.AbsolutePath;
import io.macroscope.connectors.SourceSettings;
import io.macroscope.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Settings of the extended XYZ trajectory tail. */
public final class XyzTailConfig extends AbstractConfig {

  public static final String FILE = "file";
  public static final String SPECIES_LABELS = "species.labels";
  public static final String BATCH_MAX_FRAMES = "batch.max.frames";

  public static final ConfigDef DEF =
      SourceSettings.common(new ConfigDef(), Topics.SNAPSHOTS.name())
          .define(
              FILE,
              ConfigDef.Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new AbsolutePath(),
              ConfigDef.Importance.HIGH,
              "Absolute path of the extended XYZ file a simulation appends frames to (it may not"
                  + " exist yet).")
          .define(
              SPECIES_LABELS,
              ConfigDef.Type.LIST,
              "",
              ConfigDef.Importance.MEDIUM,
              "Species labels in index order (the serving closure model's order, see its"
                  + " manifest); needed when the file has a species column.")
          .define(
              BATCH_MAX_FRAMES,
              ConfigDef.Type.INT,
              100,
              ConfigDef.Range.between(1, 100_000),
              ConfigDef.Importance.LOW,
              "Most frames returned per poll.");

  public XyzTailConfig(Map<String, ?> props) {
    super(DEF, props);
  }

  public Path file() {
    return Path.of(getString(FILE));
  }

  public String sourceId() {
    String id = getString(SourceSettings.SOURCE_ID);
    if (!id.isEmpty()) {
      return id;
    }
    String name = file().getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  public List<String> speciesLabels() {
    return getList(SPECIES_LABELS);
  }
}
