package io.macroscope.schemas.serde;

/** The payload names a schema id (or a subject) that the registry does not know. */
public final class UnknownSchemaException extends SerdeException {

  public UnknownSchemaException(String message) {
    super(message, null);
  }

  @Override
  public String kind() {
    return "unknown-schema";
  }
}
