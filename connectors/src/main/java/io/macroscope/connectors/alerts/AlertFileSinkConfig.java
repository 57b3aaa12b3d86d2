package io.macroscope.connectors.alerts;

import io.macroscope.connectors.AbsolutePath;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Settings of the alert file sink. */
public final class AlertFileSinkConfig extends AbstractConfig {

  public static final String FILE = "file";
  public static final String REGISTRY_URL = "schema.registry.url";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              FILE,
              ConfigDef.Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new AbsolutePath(),
              ConfigDef.Importance.HIGH,
              "Absolute path of the file alerts are appended to, one JSON object per line.")
          .define(
              REGISTRY_URL,
              ConfigDef.Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              ConfigDef.Importance.HIGH,
              "Schema registry the alerts were written with.");

  public AlertFileSinkConfig(Map<String, ?> props) {
    super(DEF, props);
  }
}
