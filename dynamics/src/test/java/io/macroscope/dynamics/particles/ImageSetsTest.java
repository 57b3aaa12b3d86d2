package io.macroscope.dynamics.particles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageSetsTest {

  @Test
  void shouldKeepOnlyPixelsClearlyAboveTheNoisyBackground() {
    int h = 20;
    int w = 30;
    Random random = new Random(1);
    float[] image = new float[2 * h * w];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) (100 + 2 * random.nextGaussian()); // background 100, noise 2
    }
    // frame 1: a 2 x 2 bright square at rows 5-6, columns 10-11
    for (int r = 5; r <= 6; r++) {
      for (int c = 10; c <= 11; c++) {
        image[h * w + r * w + c] = 160;
      }
    }
    ParticleFrame set = ImageSets.toSet(image, 1, h, w, 6, Map.of("x", "10.5"));
    assertEquals(4, set.n(), "only the square, no noise pixel passes 6 sigma");
    assertEquals(10, set.positions()[0], 0); // x = column
    assertEquals(5, set.positions()[1], 0); // y = row
    assertEquals(60, set.columns().get(ImageSets.INTENSITY)[0], 1.0);
    assertEquals(10.5, set.macro("x"), 0);
    // frame 0 is pure noise: at 6 sigma nothing passes, the brightest pixel stands in
    assertEquals(1, ImageSets.toSet(image, 0, h, w, 6, Map.of()).n());
    // at 1 sigma a good share of the noise passes (about 16 % of the pixels)
    int noisy = ImageSets.toSet(image, 0, h, w, 1, Map.of()).n();
    assertEquals(0.16, noisy / (double) (h * w), 0.05);
  }

  @Test
  void shouldRefuseNonFinitePixels() {
    float[] image = {1, 2, Float.NaN, 4};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ImageSets.toSet(image, 0, 2, 2, 3, Map.of()));
    assertEquals("frame 0 has a non-finite pixel", e.getMessage());
  }
}
