package io.macroscope.schemas.serde;

/**
 * The registry answered but refused the request, e.g. 409 (schema incompatible with the subject's
 * compatibility rule), 422 (invalid schema) or 401/403 (credentials).
 */
public final class RegistryException extends SerdeException {

  private final int httpStatus;
  private final int errorCode;

  public RegistryException(String message, int httpStatus, int errorCode) {
    super(message, null);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** HTTP status of the registry's answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent API error code from the body (e.g. 40401 subject not found), or -1. */
  public int errorCode() {
    return errorCode;
  }

  @Override
  public String kind() {
    return httpStatus == 409 ? "schema-incompatible" : "registry-error";
  }
}
