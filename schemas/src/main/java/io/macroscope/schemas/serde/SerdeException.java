package io.macroscope.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Base of every error the Avro serde raises. It extends Kafka's {@link SerializationException} so
 * Kafka's deserialization-exception handlers see it, and it carries a stable {@link #kind()} label
 * that a topology writes into the dead-letter record next to the one-line message.
 */
public abstract class SerdeException extends SerializationException {

  protected SerdeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Short machine-readable label of the failure, e.g. {@code corrupt-payload}. */
  public abstract String kind();
}
