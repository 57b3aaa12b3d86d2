package io.macroscope.dynamics.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPlotsTest {

  private static final int N = 3000;

  @Test
  void shouldDrawALatentEqualToTheTruthAsTheSamePanelTwice(@TempDir Path dir) throws Exception {
    float[] truth = cloud(1);
    BufferedImage same = draw(dir.resolve("same.png"), truth, truth);
    BufferedImage other = draw(dir.resolve("other.png"), cloud(2), truth);
    int side = TrainingPlots.PANEL_SIDE;
    int shift = TrainingPlots.panelLeft(1) - TrainingPlots.panelLeft(0);
    int top = TrainingPlots.PANEL_TOP;
    int left0 = TrainingPlots.panelLeft(0);
    int coloured = 0;
    int differ = 0;
    for (int y = top + 1; y < top + side; y++) {
      for (int x = left0 + 1; x < left0 + side; x++) {
        int left = same.getRGB(x, y);
        assertEquals(left, same.getRGB(x + shift, y), "pixel " + x + "," + y);
        if (left != 0xFFFFFFFF) {
          coloured++;
        }
        if (other.getRGB(x + shift, y) != left) {
          differ++;
        }
      }
    }
    assertTrue(coloured > 1000, "points drawn: " + coloured);
    assertTrue(differ > 1000, "a different latent draws a different right panel: " + differ);
  }

  private static BufferedImage draw(Path file, float[] z, float[] truth) throws Exception {
    TrainingPlots.latentVsTruth(file, z, truth, N, "test");
    return ImageIO.read(file.toFile());
  }

  private static float[] cloud(long seed) {
    Random random = new Random(seed);
    float[] p = new float[2 * N];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) random.nextGaussian();
    }
    return p;
  }
}
