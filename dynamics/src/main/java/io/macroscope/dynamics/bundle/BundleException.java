package io.macroscope.dynamics.bundle;

/** A model bundle cannot be written, read or trusted; the message says which file and why. */
public final class BundleException extends RuntimeException {

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
