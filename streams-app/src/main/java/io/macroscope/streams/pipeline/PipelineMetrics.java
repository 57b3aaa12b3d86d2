package io.macroscope.streams.pipeline;

import io.macroscope.schemas.Alert;
import io.macroscope.schemas.LatentState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's meters (Micrometer; exported as Prometheus text and over JMX by the app): inputs,
 * latent states, forecasts, alerts and dead letters per kind (rates are their derivatives),
 * micro-batch sizes, inference wall and CPU time per batch, forecast time, and end-to-end latency
 * from capture time to latent state and to forecast.
 */
public final class PipelineMetrics {

  private final MeterRegistry registry;
  // meters of the per-record path, built once (the rare ones register on use)
  private final java.util.concurrent.ConcurrentHashMap<String, Object> meters =
      new java.util.concurrent.ConcurrentHashMap<>();

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Meters kept in memory only (tests). */
  public static PipelineMetrics inMemory() {
    return new PipelineMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  void received(String kind) {
    meter(
            "inputs/" + kind,
            () ->
                Counter.builder("macroscope.inputs")
                    .description("input records read")
                    .tag("kind", kind)
                    .register(registry))
        .increment();
  }

  /**
   * One inference call.
   *
   * @param nanos wall time of the call
   * @param cpuNanos CPU time the calling thread spent in it (all of the work with one intra-op
   *     thread; the gap to {@code nanos} is time the thread waited for a core), or -1 if the JVM
   *     does not measure thread CPU time
   */
  void batch(String kind, int size, long nanos, long cpuNanos) {
    meter(
            "batch/" + kind,
            () ->
                DistributionSummary.builder("macroscope.encode.batch.size")
                    .description("inputs per inference call")
                    .tag("kind", kind)
                    .register(registry))
        .record(size);
    meter(
            "inference/" + kind,
            () ->
                Timer.builder("macroscope.encode.inference")
                    .description("inference time per micro-batch")
                    .tag("kind", kind)
                    .publishPercentiles(0.5, 0.99)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (cpuNanos >= 0) {
      meter(
              "inference-cpu/" + kind,
              () ->
                  Timer.builder("macroscope.encode.inference.cpu")
                      .description("CPU time of the calling thread per micro-batch inference")
                      .tag("kind", kind)
                      .register(registry))
          .record(cpuNanos, TimeUnit.NANOSECONDS);
    }
  }

  void encoded(String kind, LatentState state) {
    meter(
            "latent/" + kind,
            () -> Counter.builder("macroscope.latent.states").tag("kind", kind).register(registry))
        .increment();
    latency("latent", state.getCaptureTime());
  }

  void forecast(String kind, long nanos, Instant captureTime) {
    meter(
            "forecast/" + kind,
            () ->
                Timer.builder("macroscope.forecast.duration")
                    .description("ensemble rollout time per forecast")
                    .tag("kind", kind)
                    .publishPercentiles(0.5, 0.99)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    latency("forecast", captureTime);
  }

  void alert(Alert alert) {
    Counter.builder("macroscope.alerts")
        .tag("status", alert.getStatus().name())
        .tag("kind", alert.getKind().name())
        .register(registry)
        .increment();
  }

  void deadLetter(String kind, String stage) {
    Counter.builder("macroscope.dead.letters")
        .tag("kind", kind)
        .tag("stage", stage)
        .register(registry)
        .increment();
  }

  private void latency(String stage, Instant captureTime) {
    long millis = Duration.between(captureTime, Instant.now()).toMillis();
    meter(
            "latency/" + stage,
            () ->
                Timer.builder("macroscope.latency.end.to.end")
                    .description("capture time to output")
                    .tag("output", stage)
                    .publishPercentiles(0.5, 0.99)
                    .register(registry))
        .record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  @SuppressWarnings("unchecked")
  private <M> M meter(String key, java.util.function.Supplier<M> create) {
    return (M) meters.computeIfAbsent(key, k -> create.get());
  }

  /** Count of a counter (tests, the live view). */
  public double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }
}
