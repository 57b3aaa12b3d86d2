package io.macroscope.streams;

import io.macroscope.schemas.config.AppSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of the streams-app (see {@link AppSettings} for files, environment, overrides). */
public final class StreamsSettings extends AppSettings {

  /** Every key the streams-app understands, besides the pass-through prefixes. */
  public static final List<Key> KEYS =
      withClusterKeys(
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
          new Key(
              "inference.engine", "onnx", "onnx (ONNX Runtime) or pytorch (DJL PyTorch engine)"),
          new Key("inference.device", "cpu", "cpu, gpu or auto (gpu when CUDA is available)"),
          new Key("inference.threads", "1", "intra-op threads per inference session"),
          new Key("model.frames", "microscope", "model line that serves the frames topic"),
          new Key("model.snapshots", "particles", "model line that serves the snapshots topic"),
          new Key("metrics.port", "-1", "Prometheus endpoint port on 127.0.0.1 (-1: off, 0: any)"),
          new Key("metrics.host", "127.0.0.1", "address the Prometheus endpoint binds"));

  private StreamsSettings(Map<String, String> values) {
    super(values);
  }

  /** Settings from {@code file} (may be null), the environment, then {@code overrides}. */
  public static StreamsSettings load(
      Path file, Map<String, String> env, Map<String, String> overrides) {
    return of(merge(KEYS, file, env, overrides));
  }

  /** Settings from explicit values alone (tests, the demo). */
  public static StreamsSettings of(Map<String, String> given) {
    StreamsSettings settings = new StreamsSettings(resolve(KEYS, given));
    settings.validate();
    return settings;
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

  /** A copy with {@code key} set (tests, the demo). */
  public StreamsSettings with(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(values());
    copy.put(key, value);
    return of(copy);
  }
}
