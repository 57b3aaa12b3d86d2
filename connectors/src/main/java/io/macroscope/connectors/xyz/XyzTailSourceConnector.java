package io.macroscope.connectors.xyz;

import io.macroscope.connectors.Version;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Streams the frames a running simulation appends to an extended XYZ file as ParticleSnapshot
 * records (one task per file). See {@link XyzTailConfig} for the settings.
 */
public final class XyzTailSourceConnector extends SourceConnector {

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    new XyzTailConfig(props); // fail fast on bad settings
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return XyzTailSourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return XyzTailConfig.DEF;
  }

  @Override
  public String version() {
    return Version.get();
  }
}
