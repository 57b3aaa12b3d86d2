package io.macroscope.connectors.images;

import io.macroscope.connectors.AbsolutePath;
import io.macroscope.connectors.SourceSettings;
import io.macroscope.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Settings of the image-folder / TIFF-stack watcher. */
public final class ImageFolderConfig extends AbstractConfig {

  public static final String DIRECTORY = "directory";
  public static final String ORDER = "order";
  public static final String SETTLE_MS = "settle.ms";

  public static final ConfigDef DEF =
      SourceSettings.common(new ConfigDef(), Topics.FRAMES.name())
          .define(
              DIRECTORY,
              ConfigDef.Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new AbsolutePath(),
              ConfigDef.Importance.HIGH,
              "Absolute path of the folder the acquisition software writes images into (.tif,"
                  + " .tiff multi-page stacks, .png; 8- or 16-bit grayscale).")
          .define(
              ORDER,
              ConfigDef.Type.STRING,
              "name",
              ConfigDef.ValidString.in("name", "time"),
              ConfigDef.Importance.MEDIUM,
              "Order of the files: by name (zero-padded counters) or by modification time.")
          .define(
              SETTLE_MS,
              ConfigDef.Type.LONG,
              1000L,
              ConfigDef.Range.between(0, 3_600_000),
              ConfigDef.Importance.MEDIUM,
              "A file is read only once it has not changed (size and modification time) for this"
                  + " long, so a file still being written is never read half-way.");

  public ImageFolderConfig(Map<String, ?> props) {
    super(DEF, props);
  }

  public Path directory() {
    return Path.of(getString(DIRECTORY));
  }

  public String sourceId() {
    String id = getString(SourceSettings.SOURCE_ID);
    return id.isEmpty() ? directory().getFileName().toString() : id;
  }
}
