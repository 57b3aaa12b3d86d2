package io.macroscope.connectors.alerts;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/** Writes alerts to a file, one JSON object per line. See {@link AlertFileSinkConfig}. */
public final class AlertFileSinkConnector extends AlertSinks {

  @Override
  void check(Map<String, String> props) {
    new AlertFileSinkConfig(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return AlertFileSinkTask.class;
  }

  @Override
  public ConfigDef config() {
    return AlertFileSinkConfig.DEF;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return super.taskConfigs(1); // one writer per file
  }
}
