package io.macroscope.dynamics.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads microscope image sequences as a (T, H, W) array: a multi-page TIFF stack, a single image,
 * or a folder of images (PNG, TIFF; ordered by file name). Only 8- and 16-bit grayscale is
 * accepted; everything else is refused with the file and the reason.
 */
public final class ImageStacks {

  private static final List<String> EXTENSIONS = List.of(".tif", ".tiff", ".png");

  private ImageStacks() {}

  /** Whether {@code path} looks like something this class reads (folder or image file). */
  public static boolean handles(Path path) {
    return Files.isDirectory(path) || EXTENSIONS.stream().anyMatch(e -> lower(path).endsWith(e));
  }

  /** Reads a folder, a multi-page TIFF or a single image as (T, H, W) float values. */
  public static NpyArray read(Path path) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> list = Files.list(path)) {
        list.filter(p -> EXTENSIONS.stream().anyMatch(e -> lower(p).endsWith(e)))
            .sorted()
            .forEach(files::add);
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException(path + ": no .tif, .tiff or .png images in the folder");
      }
    } else {
      files.add(path);
    }
    List<float[]> frames = new ArrayList<>();
    int[] size = null;
    for (Path file : files) {
      for (Raster raster : pages(file)) {
        int[] dims = {raster.getHeight(), raster.getWidth()};
        if (size == null) {
          size = dims;
        } else if (size[0] != dims[0] || size[1] != dims[1]) {
          throw new IllegalArgumentException(
              file
                  + ": image is "
                  + dims[1]
                  + "x"
                  + dims[0]
                  + ", earlier ones "
                  + size[1]
                  + "x"
                  + size[0]);
        }
        frames.add(raster.getPixels(0, 0, dims[1], dims[0], (float[]) null));
      }
    }
    int h = size[0];
    int w = size[1];
    float[] data = new float[frames.size() * h * w];
    for (int t = 0; t < frames.size(); t++) {
      System.arraycopy(frames.get(t), 0, data, t * h * w, h * w);
    }
    return new NpyArray(new int[] {frames.size(), h, w}, data, "image");
  }

  private static List<Raster> pages(Path file) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw new IllegalArgumentException(file + ": cannot open");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException(file + ": not a readable TIFF or PNG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        int count = reader.getNumImages(true);
        List<Raster> pages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          BufferedImage image = reader.read(i);
          checkGrayscale(file, i, image);
          pages.add(image.getRaster());
        }
        return pages;
      } finally {
        reader.dispose();
      }
    }
  }

  private static void checkGrayscale(Path file, int page, BufferedImage image) {
    Raster raster = image.getRaster();
    int bits = raster.getSampleModel().getSampleSize(0);
    if (raster.getNumBands() != 1 || (bits != 8 && bits != 16)) {
      throw new IllegalArgumentException(
          file
              + (page > 0 ? " page " + page : "")
              + ": "
              + raster.getNumBands()
              + " channel(s) of "
              + bits
              + " bits; only 8- or 16-bit grayscale is supported");
    }
  }

  private static String lower(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT);
  }
}
