package io.macroscope.connectors;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * A source that follows one thing (a file, a folder) with one task: the task gets the connector's
 * settings, checked when the connector starts.
 */
public abstract class SingleTaskSourceConnector extends SourceConnector {

  private Map<String, String> props;

  /** Parses the settings; throws a ConfigException naming the bad setting. */
  protected abstract void check(Map<String, String> props);

  @Override
  public void start(Map<String, String> props) {
    check(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public String version() {
    return Version.get();
  }
}
