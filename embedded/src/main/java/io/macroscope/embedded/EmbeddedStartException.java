package io.macroscope.embedded;

/** An embedded server could not be started; the message says what to do. */
public final class EmbeddedStartException extends RuntimeException {

  public EmbeddedStartException(String message) {
    super(message);
  }

  public EmbeddedStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
