package io.macroscope.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.macroscope.schemas.Frame;
import io.macroscope.schemas.LatentState;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.RegistryClientConfig;
import io.macroscope.schemas.serde.RestSchemaRegistry;
import io.macroscope.schemas.serde.SchemaRegistry;
import io.macroscope.streams.StreamsApp;
import io.macroscope.streams.StreamsSettings;
import io.macroscope.streams.TestBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end flow against Kafka and a registry in containers (the images the compose stack
 * uses). Skipped where no Docker engine runs; the same flow is covered on the in-process broker by
 * the streams-app's integration tests.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersIT {

  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  @Container
  static final GenericContainer<?> REGISTRY =
      new GenericContainer<>("apicurio/apicurio-registry-mem:2.6.2.Final")
          .withExposedPorts(8080)
          .waitingFor(Wait.forHttp("/apis/ccompat/v6/subjects").forStatusCode(200));

  @TempDir Path dir;

  @Test
  void shouldEncodeFramesFromKafkaInAContainer() throws Exception {
    String registryUrl =
        "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080) + "/apis/ccompat/v6";
    Map<String, Object> clients = new HashMap<>();
    clients.put("bootstrap.servers", KAFKA.getBootstrapServers());
    clients.put("schema.registry.url", registryUrl);
    try (Admin admin = Admin.create(clients)) {
      admin
          .createTopics(
              Topics.ALL.stream().map(t -> t.newTopic(Optional.of(1), (short) 1)).toList())
          .all()
          .get();
    }
    StreamsSettings settings =
        StreamsSettings.of(
            Map.of(
                "bootstrap.servers", KAFKA.getBootstrapServers(),
                "schema.registry.url", registryUrl,
                "state.dir", dir.toString()));
    try (SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(registryUrl));
        StreamsApp app = new StreamsApp(settings).start();
        KafkaProducer<String, Object> producer =
            new KafkaProducer<>(clients, new StringSerializer(), anyAvro(registry))) {
      producer.send(
          new ProducerRecord<>(
              Topics.MODELS.name(),
              "microscope",
              TestBundles.release("microscope", "v1", TestBundles.dynamicsAe(), null)));
      for (int i = 0; i < 50; i++) {
        Frame frame = TestBundles.frame("cam", i, TestBundles.input(i));
        producer.send(new ProducerRecord<>(Topics.FRAMES.name(), "cam", frame));
      }
      producer.flush();
      List<LatentState> states = new ArrayList<>();
      Map<String, Object> consumer = new HashMap<>(clients);
      consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      try (KafkaConsumer<String, LatentState> c =
          new KafkaConsumer<>(
              consumer,
              new StringDeserializer(),
              Topics.LATENT_STATES.valueSerde(registry).deserializer())) {
        TopicPartition p = new TopicPartition(Topics.LATENT_STATES.name(), 0);
        c.assign(List.of(p));
        c.seekToBeginning(List.of(p));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (states.size() < 50 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, LatentState> r : c.poll(Duration.ofMillis(500))) {
            states.add(r.value());
          }
        }
      }
      assertEquals(50, states.size());
      assertEquals(49, states.get(49).getSequence());
    }
  }

  @SuppressWarnings("unchecked")
  private static org.apache.kafka.common.serialization.Serializer<Object> anyAvro(
      SchemaRegistry registry) {
    io.macroscope.schemas.serde.AvroSerializer<org.apache.avro.generic.GenericContainer> s =
        new io.macroscope.schemas.serde.AvroSerializer<>(registry);
    s.configure(Map.of(), false);
    return (topic, data) -> s.serialize(topic, (org.apache.avro.generic.GenericContainer) data);
  }
}
