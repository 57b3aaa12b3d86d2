package io.macroscope.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.connectors.alerts.AlertFileSinkConfig;
import io.macroscope.connectors.alerts.AlertWebhookSinkConfig;
import io.macroscope.connectors.images.ImageFolderConfig;
import io.macroscope.connectors.xyz.XyzTailConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every invalid setting of every connector is refused with an error on that setting. */
class ConnectorConfigTest {

  static Map<String, String> validXyz() {
    Map<String, String> p = new HashMap<>();
    p.put("file", "/data/run.xyz");
    p.put("schema.registry.url", "http://127.0.0.1:8081");
    return p;
  }

  static Map<String, String> validFolder() {
    Map<String, String> p = new HashMap<>();
    p.put("directory", "/data/acquisition");
    p.put("schema.registry.url", "http://127.0.0.1:8081");
    return p;
  }

  static Map<String, String> validHook() {
    Map<String, String> p = new HashMap<>();
    p.put("url", "https://alerts.example.org/hook");
    p.put("schema.registry.url", "http://127.0.0.1:8081");
    return p;
  }

  static Map<String, String> validFile() {
    Map<String, String> p = new HashMap<>();
    p.put("file", "/var/log/macroscope/alerts.jsonl");
    p.put("schema.registry.url", "http://127.0.0.1:8081");
    return p;
  }

  static Stream<Arguments> invalidSettings() {
    return Stream.of(
        Arguments.of("webhook", AlertWebhookSinkConfig.DEF, validHook(), "url", null),
        Arguments.of("webhook", AlertWebhookSinkConfig.DEF, validHook(), "url", "ftp://host/x"),
        Arguments.of("webhook", AlertWebhookSinkConfig.DEF, validHook(), "url", "not a url"),
        Arguments.of("webhook", AlertWebhookSinkConfig.DEF, validHook(), "retries", "-1"),
        Arguments.of("webhook", AlertWebhookSinkConfig.DEF, validHook(), "retry.backoff.ms", "0"),
        Arguments.of("webhook", AlertWebhookSinkConfig.DEF, validHook(), "timeout.ms", "0"),
        Arguments.of("webhook", AlertWebhookSinkConfig.DEF, validHook(), "schema.registry.url", ""),
        Arguments.of("file", AlertFileSinkConfig.DEF, validFile(), "file", "alerts.jsonl"),
        Arguments.of("file", AlertFileSinkConfig.DEF, validFile(), "file", null),
        Arguments.of("file", AlertFileSinkConfig.DEF, validFile(), "schema.registry.url", null),
        Arguments.of("folder", ImageFolderConfig.DEF, validFolder(), "directory", null),
        Arguments.of("folder", ImageFolderConfig.DEF, validFolder(), "directory", "acq"),
        Arguments.of("folder", ImageFolderConfig.DEF, validFolder(), "order", "size"),
        Arguments.of("folder", ImageFolderConfig.DEF, validFolder(), "settle.ms", "-1"),
        Arguments.of("folder", ImageFolderConfig.DEF, validFolder(), "schema.registry.url", null),
        Arguments.of("folder", ImageFolderConfig.DEF, validFolder(), "poll.interval.ms", "0"),
        Arguments.of("xyz", XyzTailConfig.DEF, validXyz(), "file", null),
        Arguments.of("xyz", XyzTailConfig.DEF, validXyz(), "file", "relative/run.xyz"),
        Arguments.of("xyz", XyzTailConfig.DEF, validXyz(), "schema.registry.url", null),
        Arguments.of("xyz", XyzTailConfig.DEF, validXyz(), "schema.registry.url", ""),
        Arguments.of("xyz", XyzTailConfig.DEF, validXyz(), "topic", ""),
        Arguments.of("xyz", XyzTailConfig.DEF, validXyz(), "poll.interval.ms", "5"),
        Arguments.of("xyz", XyzTailConfig.DEF, validXyz(), "poll.interval.ms", "soon"),
        Arguments.of("xyz", XyzTailConfig.DEF, validXyz(), "batch.max.frames", "0"),
        Arguments.of("xyz", XyzTailConfig.DEF, validXyz(), "dead.letter.topic", ""));
  }

  @ParameterizedTest(name = "{0}: {3}={4}")
  @MethodSource("invalidSettings")
  void shouldRefuseInvalidSetting(
      String connector, ConfigDef def, Map<String, String> valid, String key, String value) {
    assertTrue(errors(def, valid).isEmpty(), "the base settings are valid: " + errors(def, valid));
    Map<String, String> props = new HashMap<>(valid);
    if (value == null) {
      props.remove(key);
    } else {
      props.put(key, value);
    }
    Map<String, List<String>> errors = errors(def, props);
    assertEquals(List.of(key), List.copyOf(errors.keySet()), errors.toString());
  }

  static Map<String, List<String>> errors(ConfigDef def, Map<String, String> props) {
    Map<String, List<String>> out = new HashMap<>();
    for (ConfigValue v : def.validate(props)) {
      if (!v.errorMessages().isEmpty()) {
        out.put(v.name(), v.errorMessages());
      }
    }
    return out;
  }
}
