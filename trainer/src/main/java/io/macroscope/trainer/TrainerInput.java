package io.macroscope.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading {@code trainer.input}: a failure is a failed run with a one-line reason. */
final class TrainerInput {

  /** Reads a file or folder. */
  @FunctionalInterface
  interface Reader<T> {
    T read(Path path) throws IOException;
  }

  private TrainerInput() {}

  /**
   * @throws IllegalStateException naming the path when it does not exist or cannot be read
   */
  static <T> T read(Path path, Reader<T> reader) {
    if (!Files.exists(path)) {
      throw new IllegalStateException("trainer.input " + path + " does not exist");
    }
    try {
      return reader.read(path);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read trainer.input " + path + ": " + e.getMessage(), e);
    }
  }
}
