package io.macroscope.streams;

import io.macroscope.dynamics.bundle.BundleEncoder;
import io.macroscope.dynamics.bundle.InferenceDevice;
import io.macroscope.schemas.TopicNames;
import io.macroscope.schemas.serde.RegistryClientConfig;
import io.macroscope.schemas.serde.RestSchemaRegistry;
import io.macroscope.schemas.serde.SchemaRegistry;
import io.macroscope.streams.model.ModelCatalog;
import io.macroscope.streams.model.ModelWatcher;
import io.macroscope.streams.model.ServingModel;
import io.macroscope.streams.pipeline.DeadLetterHandlers;
import io.macroscope.streams.pipeline.ForecastProcessor;
import io.macroscope.streams.pipeline.PipelineMetrics;
import io.macroscope.streams.pipeline.PipelineTopology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams-app process: the model watcher (hot swap), the Kafka Streams pipeline, and the meters
 * (Prometheus endpoint and JMX). Runs against any cluster the settings name.
 */
public final class StreamsApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

  private final StreamsSettings settings;
  private final SchemaRegistry registry;
  private final ModelCatalog catalog = new ModelCatalog();
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JmxMeterRegistry jmx =
      new JmxMeterRegistry(JmxConfig.DEFAULT, io.micrometer.core.instrument.Clock.SYSTEM);
  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
  private final PipelineMetrics metrics = new PipelineMetrics(meters);
  private final Map<String, Meter.Id> servingGauges = new ConcurrentHashMap<>();
  private final ModelWatcher watcher;
  private final KafkaStreams streams;
  private MetricsEndpoint endpoint;

  public StreamsApp(StreamsSettings settings) {
    this.settings = settings;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.from(settings.clientConfigs()));
    meters.add(prometheus);
    meters.add(jmx);
    Path stateDir = Path.of(settings.get("state.dir"));
    BundleEncoder.Engine engine =
        "pytorch".equals(settings.get("inference.engine"))
            ? BundleEncoder.Engine.PYTORCH
            : BundleEncoder.Engine.ONNX;
    this.watcher =
        new ModelWatcher(
            settings.clientConfigs(),
            registry,
            catalog,
            stateDir.resolve("models"),
            engine,
            settings.integer("inference.threads"),
            InferenceDevice.parse(settings.get("inference.device")),
            settings.get("application.id"),
            settings.topics());
    catalog.onSwap(this::recordServing);
    Topology topology = PipelineTopology.build(options(settings), catalog, registry, metrics);
    this.streams = new KafkaStreams(topology, streamsProperties(settings));
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("stream thread failed, replacing it: {}", e.toString(), e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
  }

  /** The topology's options from the settings. */
  public static PipelineTopology.Options options(StreamsSettings settings) {
    return new PipelineTopology.Options(
        settings.topics(),
        settings.get("model.frames"),
        settings.get("model.snapshots"),
        settings.integer("encode.max.batch"),
        Duration.ofMillis(settings.integer("encode.max.wait.ms")),
        new ForecastProcessor.Settings(
            settings.integer("forecast.horizon"),
            settings.integer("forecast.ensemble"),
            settings.integer("forecast.every"),
            settings.quantiles(),
            settings.longValue("forecast.seed")));
  }

  /** Kafka Streams properties from the settings. */
  public static Properties streamsProperties(StreamsSettings settings) {
    Properties p = new Properties();
    p.putAll(settings.clientConfigs());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.get("application.id"));
    p.put(TopicNames.PREFIX_CONFIG, settings.get("topic.prefix"));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.get("processing.guarantee"));
    p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(settings.get("state.dir"), "streams").toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.integer("num.stream.threads"));
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.integer("commit.interval.ms"));
    // wall-clock punctuation (the micro-batch deadline) is checked once per poll loop
    p.put(
        StreamsConfig.POLL_MS_CONFIG,
        Math.max(1, Math.min(100, settings.integer("encode.max.wait.ms"))));
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.Deserialization.class.getName());
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.Production.class.getName());
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.Processing.class.getName());
    return p;
  }

  private void recordServing(ServingModel model) {
    Meter.Id old = servingGauges.remove(model.name());
    if (old != null) {
      meters.remove(old);
    }
    Gauge gauge =
        Gauge.builder("macroscope.model.serving", () -> 1)
            .description("model release in service (value 1; version in the tags)")
            .tag("line", model.name())
            .tag("version", model.version())
            .tag("method", model.method().name())
            .register(meters);
    servingGauges.put(model.name(), gauge.getId());
    meters.counter("macroscope.model.swaps", "line", model.name()).increment();
  }

  /** Starts the model watcher, the pipeline and (if configured) the metrics endpoint. */
  public StreamsApp start() {
    watcher.start();
    streams.start();
    int port = settings.integer("metrics.port");
    if (port >= 0) {
      endpoint = new MetricsEndpoint(prometheus, settings.get("metrics.host"), port);
      LOG.info("metrics at http://{}:{}/metrics", settings.get("metrics.host"), endpoint.port());
    }
    return this;
  }

  public KafkaStreams streams() {
    return streams;
  }

  public ModelCatalog catalog() {
    return catalog;
  }

  public ModelWatcher watcher() {
    return watcher;
  }

  public PipelineMetrics metrics() {
    return metrics;
  }

  public MeterRegistry meters() {
    return meters;
  }

  /** Port of the metrics endpoint, or -1 when off. */
  public int metricsPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  /** Waits until the pipeline is RUNNING. */
  public boolean awaitRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (streams.state() == KafkaStreams.State.RUNNING) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    watcher.close();
    catalog.close();
    if (endpoint != null) {
      endpoint.close();
    }
    meters.close();
    try {
      registry.close();
    } catch (Exception e) {
      LOG.debug("closing the registry client: {}", e.toString());
    }
  }
}
