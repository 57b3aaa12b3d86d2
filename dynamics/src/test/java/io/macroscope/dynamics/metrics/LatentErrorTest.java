package io.macroscope.dynamics.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatentErrorTest {

  private static double[] truth(int n) {
    Random r = new Random(3);
    double[] t = new double[2 * n];
    for (int i = 0; i < n; i++) {
      t[2 * i] = r.nextGaussian() * 2;
      t[2 * i + 1] = r.nextGaussian();
    }
    return t;
  }

  /** latent = scale * (R t) + shift, optionally reflected. */
  private static double[] transform(double[] t, double angle, double scale, boolean reflect) {
    double[] l = new double[t.length];
    for (int i = 0; i < t.length / 2; i++) {
      double x = t[2 * i];
      double y = reflect ? -t[2 * i + 1] : t[2 * i + 1];
      l[2 * i] = scale * (Math.cos(angle) * x - Math.sin(angle) * y) + 5;
      l[2 * i + 1] = scale * (Math.sin(angle) * x + Math.cos(angle) * y) - 2;
    }
    return l;
  }

  @Test
  void shouldBeZeroForRotatedReflectedShiftedCopy() {
    double[] t = truth(500);
    var result = LatentError.compute(transform(t, 1.1, 1.0, true), t, 500, 2);
    assertEquals(0, result.strict(), 1e-12);
    assertEquals(0, result.similarity(), 1e-12);
  }

  @Test
  void shouldSeparateScaleFromShapeError() {
    double[] t = truth(500);
    var result = LatentError.compute(transform(t, 0.4, 3.0, false), t, 500, 2);
    assertTrue(result.strict() > 1, "a 3x scale is a large strict error");
    assertEquals(0, result.similarity(), 1e-12);
    assertEquals(1 / 3.0, result.scale(), 1e-9);
  }

  @Test
  void shouldBeAboutOneForUnrelatedLatent() {
    double[] t = truth(4000);
    double[] noise = new double[t.length];
    Random r = new Random(9);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = r.nextGaussian();
    }
    assertEquals(1.0, LatentError.compute(noise, t, 4000, 2).similarity(), 0.02);
  }
}
