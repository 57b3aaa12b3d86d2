package io.macroscope.dynamics.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStacksTest {

  private static BufferedImage gray16(int w, int h, int base) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.getRaster().setSample(x, y, 0, base + 1000 * y + x);
      }
    }
    return image;
  }

  @Test
  void shouldReadMultiPageSixteenBitTiffInOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("stack.tif");
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff");
    ImageWriter writer = writers.next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int page = 0; page < 3; page++) {
        writer.writeToSequence(new IIOImage(gray16(4, 2, 20000 * page), null, null), null);
      }
      writer.endWriteSequence();
    }
    writer.dispose();
    NpyArray stack = ImageStacks.read(file);
    assertArrayEquals(new int[] {3, 2, 4}, stack.shape());
    assertEquals(40000 + 1003, stack.data()[2 * 8 + 4 + 3], 0); // page 2, row 1, col 3
  }

  @Test
  void shouldReadFolderOfEightBitPngsSortedByName(@TempDir Path dir) throws Exception {
    for (int i : new int[] {2, 0, 1}) {
      BufferedImage image = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
      image.getRaster().setSample(1, 1, 0, 100 + i);
      ImageIO.write(image, "png", dir.resolve("frame" + i + ".png").toFile());
    }
    NpyArray stack = ImageStacks.read(dir);
    assertArrayEquals(new int[] {3, 3, 3}, stack.shape());
    assertEquals(100, stack.data()[4], 0);
    assertEquals(102, stack.data()[2 * 9 + 4], 0);
  }

  @Test
  void shouldRefuseColourImagesNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("colour.png");
    ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageStacks.read(file));
    assertTrue(e.getMessage().contains("colour.png") && e.getMessage().contains("grayscale"));
  }
}
