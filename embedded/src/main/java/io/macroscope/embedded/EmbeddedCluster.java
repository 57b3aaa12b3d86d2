package io.macroscope.embedded;

import io.macroscope.schemas.TopicSpec;
import io.macroscope.schemas.serde.RegistryClientConfig;
import io.macroscope.schemas.serde.RestSchemaRegistry;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A broker and a schema registry on loopback, started side by side: what the demo and the
 * integration tests run against.
 */
public final class EmbeddedCluster implements AutoCloseable {

  private final EmbeddedKafka kafka;
  private final EmbeddedRegistry registry;

  private EmbeddedCluster(EmbeddedKafka kafka, EmbeddedRegistry registry) {
    this.kafka = kafka;
    this.registry = registry;
  }

  /**
   * Starts the registry process and the broker in parallel, with data under {@code dataDir}.
   *
   * @throws EmbeddedStartException if either fails to start (the other is stopped again)
   */
  public static EmbeddedCluster start(Path dataDir) {
    Path registryJar = EmbeddedRegistry.locateJar();
    CompletableFuture<EmbeddedRegistry> registry =
        CompletableFuture.supplyAsync(
            () -> EmbeddedRegistry.start(registryJar, dataDir.resolve("registry.log")));
    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
    } catch (RuntimeException e) {
      registry.thenAccept(EmbeddedRegistry::close);
      throw e;
    }
    try {
      return new EmbeddedCluster(kafka, registry.join());
    } catch (CompletionException e) {
      kafka.close();
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public EmbeddedRegistry registry() {
    return registry;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String registryUrl() {
    return registry.url();
  }

  /** Client configs naming this cluster's broker and registry, to extend per client. */
  public Map<String, Object> clientConfigs() {
    Map<String, Object> configs = new HashMap<>();
    configs.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    configs.put(RegistryClientConfig.URL_CONFIG, registryUrl());
    return configs;
  }

  /** A new registry client for this cluster's registry; the caller closes it. */
  public SchemaRegistry schemaRegistry() {
    return new RestSchemaRegistry(RegistryClientConfig.of(registryUrl()));
  }

  /** Creates the given catalogue topics (those that do not exist yet). */
  public void createTopics(Collection<TopicSpec<?>> topics, Optional<Integer> partitions) {
    createTopics(topics, partitions, "");
  }

  /** Creates the given catalogue topics under a name prefix (those that do not exist yet). */
  public void createTopics(
      Collection<TopicSpec<?>> topics, Optional<Integer> partitions, String prefix) {
    kafka.createTopics(
        topics.stream().map(t -> t.newTopic(prefix, partitions, (short) 1)).toList());
  }

  /**
   * Reads {@code topic} from the beginning until {@code done} holds for the values read or the
   * timeout passes; returns everything read (for tests and checks).
   *
   * @param committedOnly read_committed, or also the records of open transactions
   */
  public <V> java.util.List<V> read(
      String topic,
      org.apache.kafka.common.serialization.Deserializer<V> values,
      java.util.function.Predicate<java.util.List<V>> done,
      java.time.Duration timeout,
      boolean committedOnly) {
    Map<String, Object> configs = new HashMap<>(clientConfigs());
    configs.put(
        org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        committedOnly ? "read_committed" : "read_uncommitted");
    configs.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    java.util.List<V> out = new java.util.ArrayList<>();
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, V>(
            configs, new org.apache.kafka.common.serialization.StringDeserializer(), values)) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !done.test(out)) {
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      kafka.close();
    } finally {
      registry.close();
    }
  }
}
