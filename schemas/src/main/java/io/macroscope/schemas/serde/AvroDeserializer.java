package io.macroscope.schemas.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Avro records in the Confluent wire format. With a target class it resolves
 * the writer's schema (fetched from the registry by id) to that class's schema, so producers may
 * evolve compatibly; without one it returns generic records in the writer's schema.
 *
 * <p>Every failure is a {@link SerdeException} with a one-line reason: {@link
 * CorruptPayloadException} (not wire format, truncated, trailing or undecodable bytes), {@link
 * UnknownSchemaException}, {@link SchemaResolutionException}, {@link RegistryUnavailableException}.
 *
 * @param <T> result type
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

  private SchemaRegistry registry;
  private boolean ownsRegistry;
  private Class<?> type;
  private Schema readerSchema;
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

  /** For instantiation by Kafka from configs (see {@link AvroSerdeConfig#READER_CLASS_CONFIG}). */
  public AvroDeserializer() {}

  /**
   * Uses the given registry (not closed by this deserializer).
   *
   * @param type generated Avro class to read into, or {@code null} for generic records
   */
  public AvroDeserializer(SchemaRegistry registry, Class<T> type) {
    this.registry = registry;
    setType(type);
  }

  private void setType(Class<?> type) {
    this.type = type;
    this.readerSchema = type == null ? null : SpecificData.get().getSchema(type);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object className = configs.get(AvroSerdeConfig.READER_CLASS_CONFIG);
    if (type == null && className != null) {
      try {
        setType(Class.forName(className.toString()));
      } catch (ClassNotFoundException e) {
        throw new ConfigException(
            AvroSerdeConfig.READER_CLASS_CONFIG, className, "no such class on the classpath");
      }
    }
    if (registry == null) {
      registry = new RestSchemaRegistry(RegistryClientConfig.from(configs));
      ownsRegistry = true;
    }
  }

  @Override
  public T deserialize(String topic, byte[] payload) {
    if (payload == null) {
      return null;
    }
    int id = WireFormat.readSchemaId(payload);
    DatumReader<T> reader = readers.get(id);
    if (reader == null) {
      reader = createReader(id);
      readers.put(id, reader);
    }
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                payload, WireFormat.HEADER_SIZE, payload.length - WireFormat.HEADER_SIZE, null);
    T result;
    try {
      result = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new CorruptPayloadException(
            "payload for schema id " + id + " has trailing bytes after the record");
      }
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new CorruptPayloadException(
          "cannot decode payload with schema id " + id + " from topic " + topic + ": " + e, e);
    } catch (RuntimeException e) {
      // Garbage can make Avro's decoder fail in many ways (negative lengths, huge allocations).
      if (e instanceof SerdeException serde) {
        throw serde;
      }
      throw new CorruptPayloadException(
          "cannot decode payload with schema id " + id + " from topic " + topic + ": " + e, e);
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private DatumReader<T> createReader(int id) {
    Schema writer = registry.byId(id);
    if (readerSchema == null) {
      return (DatumReader<T>) new GenericDatumReader<Object>(writer, writer, GenericData.get());
    }
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
    if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
      throw new SchemaResolutionException(
          "writer schema id "
              + id
              + " ("
              + writer.getFullName()
              + ") cannot be read as "
              + readerSchema.getFullName()
              + ": "
              + compatibility.getResult().getIncompatibilities().stream()
                  .findFirst()
                  .map(i -> i.getMessage() + " at " + i.getLocation())
                  .orElse(compatibility.getDescription()));
    }
    return (DatumReader<T>)
        new SpecificDatumReader<Object>(writer, readerSchema, SpecificData.getForClass(type));
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      registry.close();
    }
  }
}
