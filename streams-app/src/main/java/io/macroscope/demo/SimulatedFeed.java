package io.macroscope.demo;

import io.macroscope.schemas.TopicSpec;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A simulated instrument producing one record per tick of a fixed-rate timer to its topic (one
 * source id = one key): the producer, the timer and the counts the demo's summary checks.
 *
 * @param <V> record type
 */
abstract class SimulatedFeed<V extends SpecificRecord & GenericContainer> implements AutoCloseable {

  private final TopicSpec<V> topic;
  private final String sourceId;
  private final KafkaProducer<String, V> producer;
  private final ScheduledExecutorService timer;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  SimulatedFeed(
      TopicSpec<V> topic, String sourceId, String bootstrapServers, SchemaRegistry registry) {
    this.topic = topic;
    this.sourceId = sourceId;
    Map<String, Object> configs = new HashMap<>();
    configs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    configs.put(ProducerConfig.ACKS_CONFIG, "all");
    configs.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer =
        new KafkaProducer<>(
            configs, topic.keySerde().serializer(), topic.valueSerde(registry).serializer());
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, sourceId + "-feed"));
  }

  /** The next record, numbered {@code sequence}. */
  abstract V next(String sourceId, long sequence);

  /** Starts producing {@code perSecond} records per second. */
  public void start(double perSecond) {
    long periodMicros = Math.max(100, Math.round(1e6 / perSecond));
    timer.scheduleAtFixedRate(this::emit, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void emit() {
    V record = next(sourceId, sequence.getAndIncrement());
    producer.send(
        new ProducerRecord<>(topic.name(), sourceId, record),
        (metadata, error) -> {
          if (error != null) {
            failures.incrementAndGet();
          }
        });
  }

  /** Records handed to the producer so far. */
  public long produced() {
    return sequence.get();
  }

  /** Sends that failed (reported by the producer). */
  public long failures() {
    return failures.get();
  }

  /** Stops the timer and flushes what was produced. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.flush();
    producer.close();
  }
}
