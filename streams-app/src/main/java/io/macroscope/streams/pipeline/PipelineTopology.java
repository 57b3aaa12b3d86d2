package io.macroscope.streams.pipeline;

import io.macroscope.schemas.AlertRule;
import io.macroscope.schemas.TopicNames;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import io.macroscope.streams.model.ModelCatalog;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Where a frame becomes a forecast. Per input kind (frames, particle snapshots) one chain:
 *
 * <pre>
 *   frames|snapshots ─► encode ─┬─► latent-states
 *        (bytes)          │      └─► forecast ─┬─► forecasts
 *                         │                    └─► alert ─► alerts
 *                         └─► dead-letters (and from forecast)
 *   alert-rules ─► global rules store (read by every alert stage)
 * </pre>
 *
 * Inputs are read as bytes and decoded inside the encode stage, so any bad record is dead-lettered
 * there with its original bytes; the stores are changelogged, so the whole chain is exactly-once
 * under {@code exactly_once_v2}.
 */
public final class PipelineTopology {

  /** Everything the topology needs. */
  public record Options(
      TopicNames topics,
      String frameModelLine,
      String snapshotModelLine,
      int maxBatch,
      Duration maxWait,
      ForecastProcessor.Settings forecast) {}

  private PipelineTopology() {}

  public static Topology build(
      Options options, ModelCatalog catalog, SchemaRegistry registry, PipelineMetrics metrics) {
    PipelineNodes nodes = new PipelineNodes();
    Topology topology = new Topology();
    List<Chain<?>> chains =
        List.of(
            new Chain<>(
                new FrameInputs(
                    options.topics().of(Topics.FRAMES),
                    Topics.FRAMES.valueSerde(registry).deserializer()),
                options.frameModelLine()),
            new Chain<>(
                new SnapshotInputs(
                    options.topics().of(Topics.SNAPSHOTS),
                    Topics.SNAPSHOTS.valueSerde(registry).deserializer()),
                options.snapshotModelLine()));
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(nodes.rulesStore()),
                Serdes.String(),
                Topics.ALERT_RULES.valueSerde(registry))
            .withLoggingDisabled(),
        nodes.rulesSource(),
        new StringDeserializer(),
        Topics.ALERT_RULES.valueSerde(registry).deserializer(),
        options.topics().of(Topics.ALERT_RULES),
        nodes.rulesUpdater(),
        () -> new RulesUpdater(nodes.rulesStore()));
    for (Chain<?> chain : chains) {
      chain.add(topology, nodes, options, catalog, metrics);
    }
    String[] encoders =
        chains.stream().map(c -> nodes.encode(c.kind.name())).toArray(String[]::new);
    String[] forecasters =
        chains.stream().map(c -> nodes.forecast(c.kind.name())).toArray(String[]::new);
    String[] alerters = chains.stream().map(c -> nodes.alert(c.kind.name())).toArray(String[]::new);
    topology.addSink(
        nodes.latentSink(),
        options.topics().of(Topics.LATENT_STATES),
        new StringSerializer(),
        untyped(Topics.LATENT_STATES.valueSerde(registry).serializer()),
        encoders);
    topology.addSink(
        nodes.forecastSink(),
        options.topics().of(Topics.FORECASTS),
        new StringSerializer(),
        untyped(Topics.FORECASTS.valueSerde(registry).serializer()),
        forecasters);
    topology.addSink(
        nodes.alertSink(),
        options.topics().of(Topics.ALERTS),
        new StringSerializer(),
        untyped(Topics.ALERTS.valueSerde(registry).serializer()),
        alerters);
    String[] deadLetterParents = new String[encoders.length + forecasters.length];
    System.arraycopy(encoders, 0, deadLetterParents, 0, encoders.length);
    System.arraycopy(forecasters, 0, deadLetterParents, encoders.length, forecasters.length);
    topology.addSink(
        nodes.deadLetterSink(),
        options.topics().of(Topics.DEAD_LETTERS),
        new ByteArraySerializer(),
        untyped(Topics.DEAD_LETTERS.valueSerde(registry).serializer()),
        deadLetterParents);
    return topology;
  }

  @SuppressWarnings("unchecked")
  private static Serializer<Object> untyped(Serializer<?> serializer) {
    return (Serializer<Object>) serializer;
  }

  /** One input kind's encode, forecast and alert stages with their stores. */
  private record Chain<T>(InputKind<T> kind, String modelLine) {

    void add(
        Topology topology,
        PipelineNodes nodes,
        Options options,
        ModelCatalog catalog,
        PipelineMetrics metrics) {
      String name = kind.name();
      topology.addSource(
          nodes.source(name),
          new ByteArrayDeserializer(),
          new ByteArrayDeserializer(),
          kind.topic());
      topology.addProcessor(
          nodes.encode(name),
          () ->
              new EncodeProcessor<>(
                  kind,
                  modelLine,
                  catalog,
                  nodes.pendingStore(name),
                  options.maxBatch(),
                  options.maxWait(),
                  nodes,
                  metrics),
          nodes.source(name));
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(nodes.pendingStore(name)),
                  Serdes.Long(),
                  Serdes.ByteArray())
              // the cache folds an input's put and delete within one commit interval into one
              // tombstone: only inputs still waiting at a commit reach the changelog in full
              .withCachingEnabled(),
          nodes.encode(name));
      topology.addProcessor(
          nodes.forecast(name),
          () -> new ForecastProcessor(name, catalog, options.forecast(), nodes, metrics),
          nodes.encode(name));
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(nodes.cadenceStore(name)),
                  Serdes.String(),
                  Serdes.Long())
              .withCachingDisabled(),
          nodes.forecast(name));
      topology.addProcessor(
          nodes.alert(name), () -> new AlertProcessor(name, nodes, metrics), nodes.forecast(name));
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(nodes.episodeStore(name)),
                  Serdes.String(),
                  Serdes.String())
              .withCachingDisabled(),
          nodes.alert(name));
    }
  }

  /** Keeps the global rules store equal to the compacted alert-rules topic. */
  private static final class RulesUpdater implements Processor<String, AlertRule, Void, Void> {
    private final String storeName;
    private KeyValueStore<String, AlertRule> store;

    RulesUpdater(String storeName) {
      this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, AlertRule> record) {
      if (record.key() == null) {
        return;
      }
      if (record.value() == null) {
        store.delete(record.key());
      } else {
        store.put(record.key(), record.value());
      }
    }
  }
}
