package io.macroscope.schemas.serde;

/** The schema registry could not be reached (connection refused, timeout) after all retries. */
public final class RegistryUnavailableException extends SerdeException {

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String kind() {
    return "registry-unavailable";
  }
}
