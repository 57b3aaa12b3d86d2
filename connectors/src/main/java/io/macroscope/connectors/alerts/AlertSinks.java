package io.macroscope.connectors.alerts;

import io.macroscope.connectors.Version;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkConnector;

/** Base of the alert sinks: every task gets the connector's settings, checked at start. */
abstract class AlertSinks extends SinkConnector {

  private Map<String, String> props;

  /** Parses the settings; throws a ConfigException naming the bad setting. */
  abstract void check(Map<String, String> props);

  @Override
  public void start(Map<String, String> props) {
    check(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(Math.max(1, maxTasks), props);
  }

  @Override
  public void stop() {}

  @Override
  public String version() {
    return Version.get();
  }
}
