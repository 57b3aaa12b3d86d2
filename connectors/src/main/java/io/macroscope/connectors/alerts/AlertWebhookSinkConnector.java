package io.macroscope.connectors.alerts;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/** POSTs alerts to an HTTP webhook as JSON, with retries. See {@link AlertWebhookSinkConfig}. */
public final class AlertWebhookSinkConnector extends AlertSinks {

  @Override
  void check(Map<String, String> props) {
    new AlertWebhookSinkConfig(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return AlertWebhookSinkTask.class;
  }

  @Override
  public ConfigDef config() {
    return AlertWebhookSinkConfig.DEF;
  }
}
