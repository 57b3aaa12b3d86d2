package io.macroscope.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File, environment and overrides, in that order of precedence. */
class StreamsSettingsTest {

  @Test
  void shouldLayerFileEnvironmentAndOverrides(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("streams.properties");
    Files.writeString(
        file,
        "bootstrap.servers=file:9092\nschema.registry.url=http://file\nencode.max.batch=4\n"
            + "forecast.horizon=10\n");
    Map<String, String> env =
        Map.of(
            "MACROSCOPE_ENCODE_MAX_BATCH", "8",
            "MACROSCOPE_KAFKA_SECURITY_PROTOCOL", "SSL",
            "MACROSCOPE_JAVA_OPTS", "-Xmx1g", // a launcher's variable, not a setting: ignored
            "MACROSCOPE_MODEL_STORE", "/models", // another process's key: ignored
            "PATH", "/usr/bin");
    StreamsSettings s = StreamsSettings.load(file, env, Map.of("forecast.horizon", "20"));
    assertEquals(8, s.integer("encode.max.batch"));
    assertEquals(20, s.integer("forecast.horizon"));
    assertEquals("file:9092", s.get("bootstrap.servers"));
    assertEquals("SSL", s.clientConfigs().get("security.protocol"));
    assertEquals("http://file", s.clientConfigs().get("schema.registry.url"));
  }

  @Test
  void shouldRefuseUnknownOrMissingOrInvalidSettingsNamingThem() {
    Map<String, String> base =
        Map.of("bootstrap.servers", "b:1", "schema.registry.url", "http://r");
    ConfigException typo =
        assertThrows(
            ConfigException.class,
            () -> StreamsSettings.load(null, Map.of(), merged(base, "encode.max.bach", "8")));
    assertTrue(typo.getMessage().contains("encode.max.bach"), typo.getMessage());
    ConfigException missing =
        assertThrows(
            ConfigException.class, () -> StreamsSettings.of(Map.of("bootstrap.servers", "b:1")));
    assertTrue(
        missing.getMessage().contains("MACROSCOPE_SCHEMA_REGISTRY_URL"), missing.getMessage());
    ConfigException bad =
        assertThrows(
            ConfigException.class,
            () -> StreamsSettings.of(merged(base, "forecast.quantiles", "0.5,0.2")));
    assertTrue(bad.getMessage().contains("forecast.quantiles"), bad.getMessage());
  }

  private static Map<String, String> merged(Map<String, String> base, String key, String value) {
    Map<String, String> m = new java.util.HashMap<>(base);
    m.put(key, value);
    return m;
  }
}
