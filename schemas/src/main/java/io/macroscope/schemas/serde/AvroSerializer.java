package io.macroscope.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing specific or generic Avro records in the Confluent wire format. The
 * writer schema is the record's own; it is registered (or looked up) under the topic's subject.
 *
 * @param <T> record type, a generated class or {@link org.apache.avro.generic.GenericRecord}
 */
public final class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

  private SchemaRegistry registry;
  private boolean ownsRegistry;
  private boolean isKey;
  private boolean autoRegister = AvroSerdeConfig.DEFAULT_AUTO_REGISTER_SCHEMAS;
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  /** For instantiation by Kafka from configs; {@link #configure} creates the registry client. */
  public AvroSerializer() {}

  /** Uses the given registry (not closed by this serializer). */
  public AvroSerializer(SchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.autoRegister = AvroSerdeConfig.autoRegister(configs);
    if (registry == null) {
      registry = new RestSchemaRegistry(RegistryClientConfig.from(configs));
      ownsRegistry = true;
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    Schema schema = data.getSchema();
    String subject = AvroSerdeConfig.subject(topic, isKey);
    int id =
        autoRegister
            ? registry.register(subject, schema)
            : registry
                .lookup(subject, schema)
                .orElseThrow(
                    () ->
                        new UnknownSchemaException(
                            "schema "
                                + schema.getFullName()
                                + " is not registered under subject "
                                + subject
                                + " and auto.register.schemas=false"));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    byte[] header = new byte[WireFormat.HEADER_SIZE];
    WireFormat.writeHeader(header, id);
    out.write(header, 0, header.length);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer(schema, data).write(data, encoder);
      encoder.flush();
    } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
      throw new InvalidDatumException(
          "cannot write " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }

  private DatumWriter<Object> writer(Schema schema, T data) {
    return writers.computeIfAbsent(
        schema,
        s ->
            data instanceof SpecificRecord
                ? new SpecificDatumWriter<>(s, SpecificData.getForClass(data.getClass()))
                : new GenericDatumWriter<>(s, GenericData.get()));
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      registry.close();
    }
  }
}
