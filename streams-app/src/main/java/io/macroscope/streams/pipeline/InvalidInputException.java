package io.macroscope.streams.pipeline;

/** An input record that cannot be processed; its message is the one-line reason. */
public final class InvalidInputException extends RuntimeException {

  public InvalidInputException(String reason) {
    super(reason);
  }

  public InvalidInputException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
