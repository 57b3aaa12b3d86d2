package io.macroscope.connectors.alerts;

import java.net.URI;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the alert webhook sink. */
public final class AlertWebhookSinkConfig extends AbstractConfig {

  public static final String URL = "url";
  public static final String RETRIES = "retries";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  public static final String TIMEOUT_MS = "timeout.ms";
  public static final String AUTHORIZATION = "authorization";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              URL,
              ConfigDef.Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              (name, value) -> {
                try {
                  URI uri = URI.create(String.valueOf(value));
                  if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
                      || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                  }
                } catch (IllegalArgumentException e) {
                  throw new ConfigException(name, value, "must be an http:// or https:// URL");
                }
              },
              ConfigDef.Importance.HIGH,
              "Where each alert is POSTed as a JSON object.")
          .define(
              AlertFileSinkConfig.REGISTRY_URL,
              ConfigDef.Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              ConfigDef.Importance.HIGH,
              "Schema registry the alerts were written with.")
          .define(
              RETRIES,
              ConfigDef.Type.INT,
              5,
              ConfigDef.Range.between(0, 100),
              ConfigDef.Importance.MEDIUM,
              "Retries of a failed delivery (connection error, timeout, 429 or 5xx); other 4xx"
                  + " answers are final.")
          .define(
              RETRY_BACKOFF_MS,
              ConfigDef.Type.LONG,
              500L,
              ConfigDef.Range.between(1, 600_000),
              ConfigDef.Importance.LOW,
              "First back-off between retries, doubled each time.")
          .define(
              TIMEOUT_MS,
              ConfigDef.Type.LONG,
              10_000L,
              ConfigDef.Range.between(1, 600_000),
              ConfigDef.Importance.LOW,
              "Timeout of one request.")
          .define(
              AUTHORIZATION,
              ConfigDef.Type.PASSWORD,
              null,
              ConfigDef.Importance.LOW,
              "Value of the Authorization header (e.g. Bearer ...), if the endpoint needs one.");

  public AlertWebhookSinkConfig(Map<String, ?> props) {
    super(DEF, props);
  }
}
