package io.macroscope.streams.model;

import io.macroscope.dynamics.bundle.BundleEncoder;
import io.macroscope.dynamics.bundle.InferenceDevice;
import io.macroscope.schemas.DeadLetter;
import io.macroscope.schemas.ModelRelease;
import io.macroscope.schemas.TopicNames;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import io.macroscope.streams.pipeline.DeadLetters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted models topic from its beginning and serves what it announces: each
 * release's zipped bundle is fetched (inline or from its URI), its SHA-256 checked, unpacked (every
 * file's SHA-256 checked against the manifest), opened, warmed up with one inference, and only then
 * swapped in. A release that fails any step goes to the dead letters and the model in service keeps
 * serving.
 */
public final class ModelWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

  /** What happened to one release. */
  public record Event(ModelRelease release, boolean accepted, String reason) {}

  private final ModelCatalog catalog;
  private final ReleaseLoader loader;
  private final TopicNames topics;
  private final String application;
  private final CopyOnWriteArrayList<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], DeadLetter> deadLetters;
  private final Deserializer<ModelRelease> deserializer;
  private final Thread thread;
  private volatile boolean closed;

  public ModelWatcher(
      Map<String, Object> clientConfigs,
      SchemaRegistry registry,
      ModelCatalog catalog,
      Path cacheDir,
      BundleEncoder.Engine engine,
      int threads,
      InferenceDevice device,
      String application,
      TopicNames topics) {
    this.topics = topics;
    this.catalog = catalog;
    this.loader = new ReleaseLoader(cacheDir, engine, threads, device);
    this.application = application;
    Map<String, Object> consumerConfigs = new HashMap<>(clientConfigs);
    consumerConfigs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfigs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfigs.put(ConsumerConfig.CLIENT_ID_CONFIG, application + "-model-watcher");
    this.consumer =
        new KafkaConsumer<>(
            consumerConfigs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Map<String, Object> producerConfigs = new HashMap<>(clientConfigs);
    producerConfigs.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfigs.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-model-dead-letters");
    this.deadLetters =
        new KafkaProducer<>(
            producerConfigs,
            new ByteArraySerializer(),
            Topics.DEAD_LETTERS.valueSerde(registry).serializer());
    this.deserializer = Topics.MODELS.valueSerde(registry).deserializer();
    this.thread = new Thread(this::run, "model-watcher");
    this.thread.setDaemon(true);
  }

  /** Called with each release's outcome. */
  public void onEvent(Consumer<Event> listener) {
    listeners.add(listener);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.of(Topics.MODELS), Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          handle(record);
        }
      }
    } catch (WakeupException e) {
      if (!closed) {
        LOG.error("model watcher woken unexpectedly", e);
      }
    } catch (RuntimeException e) {
      LOG.error("model watcher stopped: {}", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return; // a tombstone retires nothing: the model in service keeps serving
    }
    ModelRelease release;
    try {
      release = deserializer.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      reject(record, null, "cannot deserialize the release: " + e.getMessage(), e);
      return;
    }
    String line = release.getModelName();
    if (catalog.version(line).map(v -> v.equals(release.getVersion())).orElse(false)) {
      return;
    }
    try {
      ServingModel model = loader.load(release);
      catalog.swap(model);
      LOG.info("serving {} {} ({})", line, release.getVersion(), model.method());
      listeners.forEach(l -> l.accept(new Event(release, true, "")));
    } catch (RuntimeException e) {
      reject(record, release, e.getMessage(), e);
    }
  }

  private void reject(
      ConsumerRecord<byte[], byte[]> record, ModelRelease release, String reason, Throwable error) {
    LOG.warn(
        "rejected release {}: {}",
        release == null
            ? "at offset " + record.offset()
            : release.getModelName() + " " + release.getVersion(),
        reason);
    DeadLetter letter =
        DeadLetters.of(
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            record.value(),
            DeadLetters.MODEL_LOAD,
            error,
            reason,
            application);
    deadLetters.send(new ProducerRecord<>(topics.of(Topics.DEAD_LETTERS), record.key(), letter));
    deadLetters.flush();
    listeners.forEach(l -> l.accept(new Event(release, false, reason)));
  }

  @Override
  public void close() {
    closed = true;
    if (thread.getState() == Thread.State.NEW) {
      consumer.close(Duration.ofSeconds(5)); // never started
      deadLetters.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadLetters.close(Duration.ofSeconds(5));
  }
}
