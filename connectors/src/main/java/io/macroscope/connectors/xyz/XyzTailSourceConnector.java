package io.macroscope.connectors.xyz;

import io.macroscope.connectors.SingleTaskSourceConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Streams the frames a running simulation appends to an extended XYZ file as ParticleSnapshot
 * records (one task per file). See {@link XyzTailConfig} for the settings.
 */
public final class XyzTailSourceConnector extends SingleTaskSourceConnector {

  @Override
  protected void check(Map<String, String> props) {
    new XyzTailConfig(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return XyzTailSourceTask.class;
  }

  @Override
  public ConfigDef config() {
    return XyzTailConfig.DEF;
  }
}
