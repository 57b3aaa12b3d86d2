package io.macroscope.schemas;

import io.macroscope.schemas.serde.AvroSerde;
import io.macroscope.schemas.serde.AvroSerdeConfig;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Kafka topic as a typed value: its name, default partition count, topic configs and value
 * type. Keys are always strings (source id, rule id or model name). Declared once, in {@link
 * Topics}.
 *
 * @param <V> value type
 */
public record TopicSpec<V extends SpecificRecord & GenericContainer>(
    String name, int partitions, Map<String, String> configs, Class<V> valueType, String doc) {

  public TopicSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("topic " + name + " needs at least one partition");
    }
    configs = Map.copyOf(configs);
  }

  /** Serde of the keys. */
  public Serde<String> keySerde() {
    return Serdes.String();
  }

  /** Avro serde of the values in the Confluent wire format, backed by {@code registry}. */
  public Serde<V> valueSerde(SchemaRegistry registry) {
    return AvroSerde.specific(valueType, registry, false);
  }

  /** Registry subject of the values (Confluent TopicNameStrategy). */
  public String valueSubject() {
    return AvroSerdeConfig.subject(name, false);
  }

  /**
   * Registers the current value schema and puts the subject under BACKWARD compatibility, so that
   * an incompatible producer is refused by the registry (see schemas/COMPATIBILITY.md).
   */
  public void registerValueSchema(SchemaRegistry registry) {
    registry.register(valueSubject(), SpecificData.get().getSchema(valueType));
    registry.setCompatibility(valueSubject(), "BACKWARD");
  }

  /** Topic creation request with the given partition override and replication factor. */
  public NewTopic newTopic(Optional<Integer> partitionOverride, short replicationFactor) {
    return newTopic("", partitionOverride, replicationFactor);
  }

  /** Topic creation request for this topic under a name prefix (see {@code topic.prefix}). */
  public NewTopic newTopic(
      String prefix, Optional<Integer> partitionOverride, short replicationFactor) {
    return new NewTopic(prefix + name, partitionOverride.orElse(partitions), replicationFactor)
        .configs(configs);
  }
}
