package io.macroscope.schemas.serde;

/** A record could not be written with its own schema (e.g. a required field is null). */
public final class InvalidDatumException extends SerdeException {

  public InvalidDatumException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String kind() {
    return "invalid-datum";
  }
}
