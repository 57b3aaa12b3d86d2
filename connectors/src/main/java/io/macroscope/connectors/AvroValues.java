package io.macroscope.connectors;

import io.macroscope.schemas.serde.AvroSerializer;
import java.util.Map;
import org.apache.avro.generic.GenericContainer;

/** Avro values in the Confluent wire format, registered with the connector's registry. */
public final class AvroValues implements AutoCloseable {

  private final AvroSerializer<GenericContainer> serializer = new AvroSerializer<>();

  public AvroValues(Map<String, ?> connectorProps) {
    serializer.configure(connectorProps, false);
  }

  public byte[] bytes(String topic, GenericContainer record) {
    return serializer.serialize(topic, record);
  }

  @Override
  public void close() {
    serializer.close();
  }
}
