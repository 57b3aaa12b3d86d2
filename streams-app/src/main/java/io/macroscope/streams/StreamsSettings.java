package io.macroscope.streams;

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
 * Configuration of the streams-app: a properties file, overridden by environment variables ({@code
 * MACROSCOPE_ENCODE_MAX_BATCH} sets {@code encode.max.batch}), overridden by explicit values. Keys
 * starting with {@code kafka.} go to the Kafka clients without the prefix (security, SASL, TLS,
 * client tuning); keys starting with {@code schema.registry.} and {@code basic.auth.user.info} go
 * to the registry client. Any other unknown key is an error, so a typo does not silently fall back
 * to a default.
 */
public final class StreamsSettings {

  /** A known key with its default ({@code null}: required) and documentation. */
  public record Key(String name, String defaultValue, String doc) {}

  public static final String ENV_PREFIX = "MACROSCOPE_";

  /** Every key the streams-app understands, besides the pass-through prefixes. */
  public static final List<Key> KEYS =
      List.of(
          new Key("bootstrap.servers", null, "Kafka bootstrap servers, host:port[,host:port]"),
          new Key("schema.registry.url", null, "Confluent-API schema registry URL"),
          new Key("application.id", "macroscope-streams", "Kafka Streams application id"),
          new Key(
              "topic.prefix", "", "prefix of every topic name (several pipelines on a cluster)"),
          new Key("state.dir", "macroscope-state", "local state: stores and unpacked models"),
          new Key(
              "processing.guarantee",
              "exactly_once_v2",
              "exactly_once_v2 (default) or at_least_once"),
          new Key("num.stream.threads", "1", "stream threads per instance"),
          new Key("commit.interval.ms", "100", "transaction commit interval"),
          new Key("encode.max.batch", "32", "largest micro-batch of inputs per inference call"),
          new Key("encode.max.wait.ms", "20", "longest an input waits for its batch to fill"),
          new Key("forecast.horizon", "50", "forecast steps H"),
          new Key("forecast.ensemble", "64", "rollouts K per forecast"),
          new Key("forecast.every", "1", "forecast on every n-th state of a source"),
          new Key("forecast.quantiles", "0.05,0.5,0.95", "quantile levels reported per step"),
          new Key(
              "forecast.seed", "0", "base seed; each forecast's seed mixes source and sequence"),
          new Key("inference.engine", "onnx", "onnx (ONNX Runtime) or pytorch (vector encoders)"),
          new Key("inference.device", "cpu", "cpu, gpu or auto (gpu when CUDA is available)"),
          new Key("inference.threads", "1", "intra-op threads per inference session"),
          new Key("model.frames", "microscope", "model line that serves the frames topic"),
          new Key("model.snapshots", "particles", "model line that serves the snapshots topic"),
          new Key("metrics.port", "-1", "Prometheus endpoint port on 127.0.0.1 (-1: off, 0: any)"),
          new Key("metrics.host", "127.0.0.1", "address the Prometheus endpoint binds"));

  private static final List<String> PASS_THROUGH =
      List.of("kafka.", "schema.registry.", "basic.auth.user.info");

  private final Map<String, String> values;

  private StreamsSettings(Map<String, String> values) {
    this.values = values;
  }

  /** Settings from {@code file} (may be null), the environment, then {@code overrides}. */
  public static StreamsSettings load(
      Path file, Map<String, String> env, Map<String, String> overrides) {
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
            merged.put(keyOfEnv(name), value);
          }
        });
    merged.putAll(overrides);
    return of(merged);
  }

  /** Topic names under this configuration's prefix. */
  public TopicNames topics() {
    return new TopicNames(get("topic.prefix"));
  }

  /** Settings from explicit values alone (tests, the demo). */
  public static StreamsSettings of(Map<String, String> given) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Key key : KEYS) {
      if (key.defaultValue() != null) {
        values.put(key.name(), key.defaultValue());
      }
    }
    List<String> unknown = new ArrayList<>();
    for (var entry : given.entrySet()) {
      String name = entry.getKey();
      boolean known =
          KEYS.stream().anyMatch(k -> k.name().equals(name))
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
              + KEYS.stream().map(Key::name).toList()
              + ", and kafka.*, schema.registry.*)");
    }
    for (Key key : KEYS) {
      if (key.defaultValue() == null && !values.containsKey(key.name())) {
        throw new ConfigException(
            "missing required setting "
                + key.name()
                + " (file, or environment "
                + envOf(key.name())
                + ")");
      }
    }
    StreamsSettings settings = new StreamsSettings(values);
    settings.validate();
    return settings;
  }

  /** {@code MACROSCOPE_ENCODE_MAX_BATCH} -> {@code encode.max.batch}. */
  public static String keyOfEnv(String env) {
    return env.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** {@code encode.max.batch} -> {@code MACROSCOPE_ENCODE_MAX_BATCH}. */
  public static String envOf(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private void validate() {
    positive("encode.max.batch");
    positive("forecast.ensemble");
    positive("forecast.every");
    positive("inference.threads");
    positive("num.stream.threads");
    if (integer("encode.max.wait.ms") < 0 || integer("forecast.horizon") < 0) {
      throw new ConfigException("encode.max.wait.ms and forecast.horizon must be >= 0");
    }
    double previous = 0;
    for (double q : quantiles()) {
      if (!(q > previous && q < 1)) {
        throw new ConfigException(
            "forecast.quantiles must be ascending levels in (0, 1), got "
                + get("forecast.quantiles"));
      }
      previous = q;
    }
    oneOf("inference.engine", "onnx", "pytorch");
    oneOf("inference.device", "cpu", "gpu", "auto");
    oneOf("processing.guarantee", "exactly_once_v2", "at_least_once");
    integer("metrics.port");
    integer("commit.interval.ms");
    longValue("forecast.seed");
  }

  private void positive(String key) {
    if (integer(key) < 1) {
      throw new ConfigException(key + " must be >= 1, got " + get(key));
    }
  }

  private void oneOf(String key, String... allowed) {
    if (!Arrays.asList(allowed).contains(get(key))) {
      throw new ConfigException(
          key + " must be one of " + Arrays.toString(allowed) + ", got " + get(key));
    }
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

  /** Quantile levels of forecasts. */
  public double[] quantiles() {
    try {
      return Arrays.stream(get("forecast.quantiles").split(","))
          .map(String::strip)
          .mapToDouble(Double::parseDouble)
          .toArray();
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "forecast.quantiles must be numbers, got " + get("forecast.quantiles"));
    }
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

  /** A copy with {@code key} set (tests, the demo). */
  public StreamsSettings with(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.put(key, value);
    return of(copy);
  }
}
