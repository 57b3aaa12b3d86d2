package io.macroscope.schemas.config;

import io.macroscope.schemas.TopicNames;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of a Macroscope process (streams-app, trainer): a properties file, overridden by
 * environment variables ({@code MACROSCOPE_ENCODE_MAX_BATCH} sets {@code encode.max.batch}),
 * overridden by explicit values. Keys starting with {@code kafka.} go to the Kafka clients without
 * the prefix (security, SASL, TLS, client tuning); keys starting with {@code schema.registry.} and
 * {@code basic.auth.user.info} go to the registry client. Any other key the process does not
 * declare is an error, so a typo does not silently fall back to a default.
 */
public abstract class AppSettings {

  /** A known key with its default ({@code null}: required) and documentation. */
  public record Key(String name, String defaultValue, String doc) {}

  public static final String ENV_PREFIX = "MACROSCOPE_";

  /** Keys every process has. */
  public static final List<Key> CLUSTER_KEYS =
      List.of(
          new Key("bootstrap.servers", null, "Kafka bootstrap servers, host:port[,host:port]"),
          new Key("schema.registry.url", null, "Confluent-API schema registry URL"),
          new Key(
              "topic.prefix", "", "prefix of every topic name (several pipelines on a cluster)"));

  /** The cluster keys followed by a process's own. */
  protected static List<Key> withClusterKeys(Key... own) {
    List<Key> all = new ArrayList<>(CLUSTER_KEYS);
    all.addAll(Arrays.asList(own));
    return List.copyOf(all);
  }

  private static final List<String> PASS_THROUGH =
      List.of("kafka.", "schema.registry.", "basic.auth.user.info");

  private final Map<String, String> values;

  protected AppSettings(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Values from {@code file} (may be null), the environment, then {@code overrides}. Environment
   * variables under {@link #ENV_PREFIX} that name none of {@code keys} (nor a pass-through prefix)
   * are ignored: launchers and other processes use the prefix too ({@code MACROSCOPE_JAVA_OPTS},
   * {@code MACROSCOPE_DEBUG}, another process's keys in a shared environment).
   */
  protected static Map<String, String> merge(
      List<Key> keys, Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (file != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
      }
      properties
          .stringPropertyNames()
          .forEach(k -> merged.put(k, properties.getProperty(k).strip()));
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
            String key = keyOfEnv(name);
            if (keys.stream().anyMatch(k -> k.name().equals(key))
                || PASS_THROUGH.stream().anyMatch(key::startsWith)) {
              merged.put(key, value);
            }
          }
        });
    merged.putAll(overrides);
    return merged;
  }

  /**
   * {@code given} on top of the defaults of {@code keys}.
   *
   * @throws ConfigException for unknown keys (an environment variable that is not a key is ignored
   *     only if it is not under {@link #ENV_PREFIX}) and missing required ones
   */
  protected static Map<String, String> resolve(List<Key> keys, Map<String, String> given) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Key key : keys) {
      if (key.defaultValue() != null) {
        values.put(key.name(), key.defaultValue());
      }
    }
    List<String> unknown = new ArrayList<>();
    for (var entry : given.entrySet()) {
      String name = entry.getKey();
      boolean known =
          keys.stream().anyMatch(k -> k.name().equals(name))
              || PASS_THROUGH.stream().anyMatch(name::startsWith);
      if (!known) {
        unknown.add(name);
      }
      values.put(name, entry.getValue());
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "unknown configuration key(s) "
              + unknown
              + " (known: "
              + keys.stream().map(Key::name).toList()
              + ", and kafka.*, schema.registry.*)");
    }
    for (Key key : keys) {
      if (key.defaultValue() == null && !values.containsKey(key.name())) {
        throw new ConfigException(
            "missing required setting "
                + key.name()
                + " (file, or environment "
                + envOf(key.name())
                + ")");
      }
    }
    return values;
  }

  /** {@code MACROSCOPE_ENCODE_MAX_BATCH} -> {@code encode.max.batch}. */
  public static String keyOfEnv(String env) {
    return env.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** {@code encode.max.batch} -> {@code MACROSCOPE_ENCODE_MAX_BATCH}. */
  public static String envOf(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Every value, defaults included. */
  protected Map<String, String> values() {
    return values;
  }

  public String get(String key) {
    return values.get(key);
  }

  public int integer(String key) {
    try {
      return Integer.parseInt(get(key));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be an integer, got '" + get(key) + "'");
    }
  }

  public long longValue(String key) {
    try {
      return Long.parseLong(get(key));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be an integer, got '" + get(key) + "'");
    }
  }

  public double doubleValue(String key) {
    try {
      return Double.parseDouble(get(key));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a number, got '" + get(key) + "'");
    }
  }

  protected void positive(String key) {
    if (integer(key) < 1) {
      throw new ConfigException(key + " must be >= 1, got " + get(key));
    }
  }

  protected void oneOf(String key, String... allowed) {
    if (!Arrays.asList(allowed).contains(get(key))) {
      throw new ConfigException(
          key + " must be one of " + Arrays.toString(allowed) + ", got " + get(key));
    }
  }

  /** Topic names under this configuration's prefix. */
  public TopicNames topics() {
    return new TopicNames(get("topic.prefix"));
  }

  /** Client settings for Kafka: bootstrap, the kafka.* keys, and the registry keys (for serdes). */
  public Map<String, Object> clientConfigs() {
    Map<String, Object> configs = new LinkedHashMap<>();
    configs.put("bootstrap.servers", get("bootstrap.servers"));
    values.forEach(
        (k, v) -> {
          if (k.startsWith("kafka.")) {
            configs.put(k.substring("kafka.".length()), v);
          } else if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.user.info")) {
            configs.put(k, v);
          }
        });
    return configs;
  }

  /** Every value, defaults included (for logging; secrets are masked). */
  public Map<String, String> describe() {
    Map<String, String> shown = new LinkedHashMap<>();
    values.forEach(
        (k, v) ->
            shown.put(
                k,
                k.contains("password") || k.contains("jaas") || k.contains("user.info")
                    ? "*****"
                    : v));
    return shown;
  }
}
