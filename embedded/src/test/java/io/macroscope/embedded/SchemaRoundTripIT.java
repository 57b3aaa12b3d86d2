package io.macroscope.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.schemas.Frame;
import io.macroscope.schemas.SampleRecords;
import io.macroscope.schemas.serde.AvroDeserializer;
import io.macroscope.schemas.serde.AvroSerde;
import io.macroscope.schemas.serde.AvroSerializer;
import io.macroscope.schemas.serde.CorruptPayloadException;
import io.macroscope.schemas.serde.RegistryClientConfig;
import io.macroscope.schemas.serde.RegistryException;
import io.macroscope.schemas.serde.RegistryUnavailableException;
import io.macroscope.schemas.serde.RestSchemaRegistry;
import io.macroscope.schemas.serde.SchemaRegistry;
import io.macroscope.schemas.serde.SchemaResolutionException;
import io.macroscope.schemas.serde.UnknownSchemaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every schema through the real registry (Apicurio, Confluent API) and the real KRaft broker. */
@ExtendWith(EmbeddedClusterExtension.class)
class SchemaRoundTripIT {

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldRoundTripEverySchemaThroughRegistryAndBroker(EmbeddedCluster cluster)
      throws Exception {
    String topic = unique("roundtrip");
    cluster.kafka().createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
    List<SpecificRecord> samples = SampleRecords.all();

    // Given one producer per record type writing to the same topic through the real registry
    List<byte[]> written = new ArrayList<>();
    try (SchemaRegistry registry = cluster.schemaRegistry();
        KafkaProducer<byte[], byte[]> producer = bytesProducer(cluster)) {
      for (SpecificRecord sample : samples) {
        var serde = AvroSerde.specific((Class) sample.getClass(), registry, false);
        byte[] bytes = serde.serializer().serialize(topic, sample);
        written.add(bytes);
        producer.send(new ProducerRecord<>(topic, bytes)).get();
      }
    }

    // When a fresh client (empty caches) reads them back from the broker
    List<ConsumerRecord<byte[], byte[]>> read = consumeAll(cluster, topic, samples.size());
    try (SchemaRegistry fresh = cluster.schemaRegistry()) {
      for (int i = 0; i < samples.size(); i++) {
        SpecificRecord sample = samples.get(i);
        var deserializer = new AvroDeserializer(fresh, sample.getClass());
        // Then every record comes back equal, and its schema id resolves to its schema
        assertEquals(sample, deserializer.deserialize(topic, read.get(i).value()));
        int id = java.nio.ByteBuffer.wrap(written.get(i), 1, 4).getInt();
        assertEquals(sample.getSchema(), fresh.byId(id));
      }
    }
  }

  @Test
  void shouldConfigureSerdeFromKafkaStyleConfigs(EmbeddedCluster cluster) throws Exception {
    String topic = unique("configured");
    cluster.kafka().createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
    Map<String, Object> producerConfigs = cluster.clientConfigs();
    producerConfigs.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerConfigs.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
    try (KafkaProducer<byte[], Frame> producer = new KafkaProducer<>(producerConfigs)) {
      producer.send(new ProducerRecord<>(topic, SampleRecords.frame())).get();
    }
    Map<String, Object> consumerConfigs = cluster.clientConfigs();
    consumerConfigs.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumerConfigs.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
    consumerConfigs.put("avro.reader.class", Frame.class.getName());
    consumerConfigs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfigs.put(ConsumerConfig.GROUP_ID_CONFIG, unique("g"));
    try (KafkaConsumer<byte[], Frame> consumer = new KafkaConsumer<>(consumerConfigs)) {
      consumer.subscribe(List.of(topic));
      List<Frame> frames = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 30_000;
      while (frames.isEmpty() && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> frames.add(r.value()));
      }
      assertEquals(List.of(SampleRecords.frame()), frames);
    }
  }

  @Test
  void shouldEnforceBackwardCompatibilityInRegistry(EmbeddedCluster cluster) {
    String subject = unique("compat") + "-value";
    Schema v1 = SchemaBuilder.record("Reading").fields().requiredDouble("value").endRecord();
    Schema addOptional =
        SchemaBuilder.record("Reading")
            .fields()
            .requiredDouble("value")
            .name("unit")
            .type()
            .stringType()
            .stringDefault("")
            .endRecord();
    Schema addRequired =
        SchemaBuilder.record("Reading")
            .fields()
            .requiredDouble("value")
            .requiredString("unit")
            .endRecord();
    Schema changeType =
        SchemaBuilder.record("Reading").fields().requiredString("value").endRecord();
    try (SchemaRegistry registry = cluster.schemaRegistry()) {
      registry.register(subject, v1);
      registry.setCompatibility(subject, "BACKWARD");

      assertTrue(registry.isCompatible(subject, addOptional), "new field with default");
      assertFalse(registry.isCompatible(subject, addRequired), "new field without default");
      assertFalse(registry.isCompatible(subject, changeType), "double -> string");

      registry.register(subject, addOptional);
      RegistryException refused =
          assertThrows(RegistryException.class, () -> registry.register(subject, changeType));
      assertEquals(409, refused.httpStatus());
      assertEquals("schema-incompatible", refused.kind());
    }
  }

  @Test
  void shouldRefuseIncompatibleProducerOnCatalogueTopic(EmbeddedCluster cluster) {
    // Given the frames subject registered from the catalogue under BACKWARD compatibility
    try (SchemaRegistry registry = cluster.schemaRegistry()) {
      io.macroscope.schemas.Topics.FRAMES.registerValueSchema(registry);
      // When a producer's Frame changes the width from int to string, the registry refuses it
      // (bytes -> string would not do: Avro promotes between those two).
      Schema broken =
          new Schema.Parser()
              .parse(
                  Frame.getClassSchema()
                      .toString()
                      .replace(
                          "{\"name\":\"width\",\"type\":\"int\"",
                          "{\"name\":\"width\",\"type\":\"string\""));
      assertFalse(broken.equals(Frame.getClassSchema()), "schema was changed");
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () -> registry.register(io.macroscope.schemas.Topics.FRAMES.valueSubject(), broken));
      assertEquals(409, e.httpStatus());
    }
  }

  @Test
  void shouldGiveTypedErrorsForBadInput(EmbeddedCluster cluster) {
    String topic = unique("bad");
    try (SchemaRegistry registry = cluster.schemaRegistry()) {
      var frames = new AvroDeserializer<>(registry, Frame.class);

      // Garbage bytes
      assertThrows(
          CorruptPayloadException.class,
          () -> frames.deserialize(topic, "not avro at all".getBytes()));

      // Wire format, but a schema id the registry never issued
      assertThrows(
          UnknownSchemaException.class,
          () -> frames.deserialize(topic, new byte[] {0, 0x7f, 0, 0, 1, 2, 3}));

      // A registered schema that cannot be read as a Frame
      Schema other = SchemaBuilder.record("Other").fields().requiredInt("n").endRecord();
      GenericRecord record = new GenericData.Record(other);
      record.put("n", 5);
      AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
      serializer.configure(Map.of(), false);
      byte[] otherBytes = serializer.serialize(topic, record);
      assertThrows(SchemaResolutionException.class, () -> frames.deserialize(topic, otherBytes));
    }

    // A registry that does not answer
    Map<String, Object> unreachable = new HashMap<>();
    unreachable.put(RegistryClientConfig.URL_CONFIG, "http://127.0.0.1:1/apis/ccompat/v6");
    unreachable.put(RegistryClientConfig.RETRIES_CONFIG, 1);
    unreachable.put(RegistryClientConfig.RETRY_BACKOFF_MS_CONFIG, 10);
    try (SchemaRegistry down = new RestSchemaRegistry(RegistryClientConfig.from(unreachable))) {
      var frames = new AvroDeserializer<>(down, Frame.class);
      assertThrows(
          RegistryUnavailableException.class,
          () -> frames.deserialize(topic, new byte[] {0, 0, 0, 0, 1, 2}));
    }
  }

  private static KafkaProducer<byte[], byte[]> bytesProducer(EmbeddedCluster cluster) {
    Map<String, Object> configs = cluster.clientConfigs();
    configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static List<ConsumerRecord<byte[], byte[]>> consumeAll(
      EmbeddedCluster cluster, String topic, int expected) {
    Map<String, Object> configs = cluster.clientConfigs();
    configs.put(ConsumerConfig.GROUP_ID_CONFIG, unique("reader"));
    configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (records.size() < expected && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    assertEquals(expected, records.size(), "records read back from " + topic);
    return records;
  }
}
