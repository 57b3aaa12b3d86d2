package io.macroscope.schemas.serde;

/** The bytes are not a valid Confluent-wire-format Avro payload (bad magic, truncated, garbage). */
public final class CorruptPayloadException extends SerdeException {

  public CorruptPayloadException(String message) {
    super(message, null);
  }

  public CorruptPayloadException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String kind() {
    return "corrupt-payload";
  }
}
