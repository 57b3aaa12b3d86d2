package io.macroscope.schemas.serde;

import java.util.Map;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Factories of Avro serdes in the Confluent wire format. */
public final class AvroSerde {

  private AvroSerde() {}

  /** A serde for a generated record class, sharing {@code registry}. */
  public static <T extends SpecificRecord & GenericContainer> Serde<T> specific(
      Class<T> type, SchemaRegistry registry, boolean isKey) {
    Serde<T> serde =
        Serdes.serdeFrom(new AvroSerializer<T>(registry), new AvroDeserializer<>(registry, type));
    serde.configure(Map.of(), isKey);
    return serde;
  }

  /** A serde for generic records in the writer's schema, sharing {@code registry}. */
  public static Serde<GenericRecord> generic(SchemaRegistry registry, boolean isKey) {
    Serde<GenericRecord> serde =
        Serdes.serdeFrom(
            new AvroSerializer<GenericRecord>(registry),
            new AvroDeserializer<GenericRecord>(registry, null));
    serde.configure(Map.of(), isKey);
    return serde;
  }
}
