package io.macroscope.schemas.serde;

/** The writer's schema cannot be resolved to the schema this reader expects. */
public final class SchemaResolutionException extends SerdeException {

  public SchemaResolutionException(String message) {
    super(message, null);
  }

  @Override
  public String kind() {
    return "schema-mismatch";
  }
}
