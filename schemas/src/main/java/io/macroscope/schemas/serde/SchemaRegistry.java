package io.macroscope.schemas.serde;

import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that Macroscope uses. Implementations cache both
 * directions (schema to id per subject, id to schema), so a steady stream costs no registry calls.
 */
public interface SchemaRegistry extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** Returns the id of {@code schema} under {@code subject}, or empty if it is not registered. */
  OptionalInt lookup(String subject, Schema schema);

  /**
   * Returns the schema with the global {@code id}.
   *
   * @throws UnknownSchemaException if the registry has no schema with that id
   */
  Schema byId(int id);

  /** Sets the compatibility level of {@code subject} (BACKWARD, FORWARD, FULL, NONE, ...). */
  void setCompatibility(String subject, String level);

  /** Whether {@code schema} could be registered under {@code subject} given its compatibility. */
  boolean isCompatible(String subject, Schema schema);

  @Override
  default void close() {}
}
