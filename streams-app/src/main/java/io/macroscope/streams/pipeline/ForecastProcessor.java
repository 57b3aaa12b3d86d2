package io.macroscope.streams.pipeline;

import io.macroscope.schemas.Forecast;
import io.macroscope.streams.model.ModelCatalog;
import io.macroscope.streams.model.ServingModel;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecast stage: on every n-th new state of a source, an ensemble of K Euler-Maruyama rollouts
 * of the serving model's SDE for H steps, summarised per step. The seed mixes the base seed, the
 * source id and the sequence number, so a forecast is reproducible exactly.
 */
public final class ForecastProcessor implements Processor<String, EncodedState, Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ForecastProcessor.class);

  /** Forecast settings. */
  public record Settings(int horizon, int ensemble, int every, double[] quantiles, long seed) {}

  private final String kind;
  private final ModelCatalog catalog;
  private final Settings settings;
  private final PipelineNodes nodes;
  private final PipelineMetrics metrics;
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, Long> cadence;

  public ForecastProcessor(
      String kind,
      ModelCatalog catalog,
      Settings settings,
      PipelineNodes nodes,
      PipelineMetrics metrics) {
    this.kind = kind;
    this.catalog = catalog;
    this.settings = settings;
    this.nodes = nodes;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.cadence = context.getStateStore(nodes.cadenceStore(kind));
  }

  /** Seed of the forecast from {@code sequence} of {@code sourceId}. */
  public static long seed(long base, String sourceId, long sequence) {
    long h = base * 0x9E3779B97F4A7C15L + sourceId.hashCode();
    h = h * 0xBF58476D1CE4E5B9L + sequence;
    h ^= h >>> 31;
    return h * 0x94D049BB133111EBL;
  }

  @Override
  public void process(Record<String, EncodedState> record) {
    EncodedState encoded = record.value();
    String sourceId = record.key();
    Long seen = cadence.get(sourceId);
    long count = seen == null ? 1 : seen + 1;
    cadence.put(sourceId, count);
    if ((count - 1) % settings.every() != 0) {
      context.forward(
          record.withValue(new Evaluation(encoded.state(), null, null, List.of())),
          nodes.alert(kind));
      return;
    }
    ServingModel model = catalog.acquire(encoded.modelLine());
    if (model == null) {
      return; // cannot happen after an encode by this line's model; nothing to roll out
    }
    try {
      long seed = seed(settings.seed(), sourceId, encoded.state().getSequence());
      long start = System.nanoTime();
      double[][][] members;
      try {
        members =
            model.forecast(
                encoded.z(), encoded.macros(), settings.horizon(), settings.ensemble(), seed);
      } catch (RuntimeException e) {
        LOG.warn(
            "forecast failed for {} #{}: {}",
            sourceId,
            encoded.state().getSequence(),
            e.getMessage());
        metrics.deadLetter(kind, DeadLetters.FORECAST);
        context.forward(
            new Record<>(
                encoded.origin().key(),
                DeadLetters.of(encoded.origin(), DeadLetters.FORECAST, e, context.applicationId()),
                record.timestamp()),
            nodes.deadLetterSink());
        return;
      }
      Forecast forecast =
          Forecast.newBuilder()
              .setSourceId(sourceId)
              .setSequence(encoded.state().getSequence())
              .setCaptureTime(encoded.state().getCaptureTime())
              .setIssueTime(Instant.now())
              .setModelVersion(model.version())
              .setDt(model.dt())
              .setEnsembleSize(settings.ensemble())
              .setSeed(seed)
              .setComponents(model.components())
              .setQuantileLevels(Arrays.stream(settings.quantiles()).boxed().toList())
              .setSteps(ForecastStats.steps(members, settings.quantiles(), model.dt()))
              .build();
      metrics.forecast(kind, System.nanoTime() - start, forecast.getCaptureTime());
      context.forward(record.withValue(forecast), nodes.forecastSink());
      context.forward(
          record.withValue(new Evaluation(encoded.state(), forecast, members, model.components())),
          nodes.alert(kind));
    } finally {
      model.release();
    }
  }
}
