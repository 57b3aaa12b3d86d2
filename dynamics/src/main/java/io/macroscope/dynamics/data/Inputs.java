package io.macroscope.dynamics.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Reads any supported input file as an array whose first axis is time. */
public final class Inputs {

  private Inputs() {}

  /**
   * Reads {@code path}: {@code .npy}, an image folder, a multi-page TIFF stack or a single image.
   *
   * @throws IllegalArgumentException naming the file for unsupported formats, dtypes or shapes
   */
  public static NpyArray read(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      return Npy.read(path);
    }
    if (ImageStacks.handles(path)) {
      return ImageStacks.read(path);
    }
    throw new IllegalArgumentException(
        path + ": unsupported input; use .npy, a folder of images, or a .tif/.tiff/.png file");
  }
}
