package io.macroscope.streams;

import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.schemas.AlertRule;
import io.macroscope.schemas.Frame;
import io.macroscope.schemas.ModelRelease;
import io.macroscope.schemas.TopicNames;
import io.macroscope.schemas.TopicSpec;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One isolated pipeline on the shared embedded cluster: its own topic prefix, application id and
 * state directory, with producers for inputs, rules and releases and read_committed readers of the
 * outputs.
 */
public final class PipelineHarness implements AutoCloseable {

  public final EmbeddedCluster cluster;
  public final TopicNames topics;
  public final SchemaRegistry registry;
  private final KafkaProducer<String, Object> producer;
  private final KafkaProducer<byte[], byte[]> rawProducer;

  public PipelineHarness(EmbeddedCluster cluster, String name) {
    this.cluster = cluster;
    this.topics = new TopicNames(name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    cluster.createTopics(Topics.ALL, Optional.of(2), topics.prefix());
    cluster.createTopics(
        List.of(Topics.ALERT_RULES, Topics.MODELS), Optional.of(1), topics.prefix());
    this.registry = cluster.schemaRegistry();
    Map<String, Object> configs = new HashMap<>(cluster.clientConfigs());
    configs.put(ProducerConfig.ACKS_CONFIG, "all");
    configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer =
        new KafkaProducer<>(configs, new StringSerializer(), new AnySerializer(registry));
    this.rawProducer =
        new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Settings for a pipeline on this harness's topics. */
  public Map<String, String> settings(Path stateDir) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("bootstrap.servers", cluster.bootstrapServers());
    s.put("schema.registry.url", cluster.registryUrl());
    s.put("application.id", "app-" + topics.prefix().replace(".", ""));
    s.put("topic.prefix", topics.prefix());
    s.put("state.dir", stateDir.toString());
    s.put("encode.max.batch", "8");
    s.put("encode.max.wait.ms", "20");
    s.put("forecast.horizon", "10");
    s.put("forecast.ensemble", "16");
    return s;
  }

  public void send(Frame frame) {
    producer.send(
        new ProducerRecord<>(topics.of(Topics.FRAMES), frame.getSourceId().toString(), frame));
  }

  public void send(io.macroscope.schemas.ParticleSnapshot snapshot) {
    producer.send(
        new ProducerRecord<>(
            topics.of(Topics.SNAPSHOTS), snapshot.getSourceId().toString(), snapshot));
  }

  public void sendRaw(String key, byte[] value) {
    rawProducer.send(new ProducerRecord<>(topics.of(Topics.FRAMES), key.getBytes(), value));
    rawProducer.flush();
  }

  public void release(ModelRelease release) {
    try {
      producer
          .send(new ProducerRecord<>(topics.of(Topics.MODELS), release.getModelName(), release))
          .get();
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot publish release " + release.getVersion(), e);
    }
  }

  public void rule(String id, AlertRule rule) {
    producer.send(new ProducerRecord<>(topics.of(Topics.ALERT_RULES), id, rule));
    producer.flush();
  }

  public void flush() {
    producer.flush();
  }

  /**
   * Reads {@code topic} (read_committed, from the beginning) until {@code done} holds for what was
   * read or the timeout passes; returns everything read.
   */
  public <V> List<V> read(
      TopicSpec<?> topic, Deserializer<V> values, Predicate<List<V>> done, Duration timeout) {
    return read(topic, values, done, timeout, true);
  }

  /** As {@link #read}, optionally also seeing records of open (uncommitted) transactions. */
  public <V> List<V> read(
      TopicSpec<?> topic,
      Deserializer<V> values,
      Predicate<List<V>> done,
      Duration timeout,
      boolean committedOnly) {
    return cluster.read(topics.of(topic), values, done, timeout, committedOnly);
  }

  /** Typed deserializer of a catalogue topic's values. */
  @SuppressWarnings("unchecked")
  public <V> Deserializer<V> values(TopicSpec<?> topic) {
    return (Deserializer<V>) topic.valueSerde(registry).deserializer();
  }

  @Override
  public void close() throws Exception {
    producer.close();
    rawProducer.close();
    registry.close();
  }

  /** Serializes any generated Avro record. */
  private static final class AnySerializer
      implements org.apache.kafka.common.serialization.Serializer<Object> {
    private final io.macroscope.schemas.serde.AvroSerializer<
            org.apache.avro.generic.GenericContainer>
        inner;

    AnySerializer(SchemaRegistry registry) {
      inner = new io.macroscope.schemas.serde.AvroSerializer<>(registry);
      inner.configure(Map.of(), false);
    }

    @Override
    public byte[] serialize(String topic, Object data) {
      return inner.serialize(topic, (org.apache.avro.generic.GenericContainer) data);
    }
  }
}
