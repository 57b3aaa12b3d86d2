package io.macroscope.dynamics.ae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class SlicedWassersteinTest {

  @Test
  void shouldMatchClosedFormForIsotropicGaussians() {
    // A ~ N(0, I), B ~ N(m, s^2 I) in d = 3. Along a unit direction theta the 1D W2^2 is
    // (theta.m)^2 + (1 - s)^2; averaged over uniform directions: |m|^2 / d + (1 - s)^2.
    Engine.getEngine("PyTorch").setRandomSeed(5);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      int n = 8000;
      float s = 1.5f;
      NDArray mean = m.create(new float[] {1.2f, -0.6f, 0.3f});
      NDArray a = m.randomNormal(new Shape(n, 3));
      NDArray b = m.randomNormal(new Shape(n, 3)).mul(s).add(mean);
      NDArray theta = SlicedWasserstein.directions(m, 3, 400);
      double expected = (1.44 + 0.36 + 0.09) / 3 + (1 - s) * (1 - s);
      assertEquals(expected, SlicedWasserstein.distance(a, b, theta).getFloat(), 0.05 * expected);
    }
  }

  @Test
  void shouldBeZeroForPermutedCopyAndPositiveOtherwise() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray a = m.create(new float[] {0, 0, 1, 2, 3, -1, 4, 4}, new Shape(4, 2));
      NDArray shuffled = m.create(new float[] {4, 4, 0, 0, 3, -1, 1, 2}, new Shape(4, 2));
      NDArray theta = SlicedWasserstein.directions(m, 2, 16);
      assertEquals(0, SlicedWasserstein.distance(a, shuffled, theta).getFloat(), 1e-6);
      assertTrue(SlicedWasserstein.distance(a, shuffled.add(0.5f), theta).getFloat() > 0.05);
    }
  }

  @Test
  void shouldPassGradientsThroughTheSort() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray a = m.create(new float[] {0, 1, 2, 3}, new Shape(4, 1));
      NDArray b = m.create(new float[] {1, 2, 3, 4}, new Shape(4, 1));
      a.setRequiresGradient(true);
      NDArray theta = m.create(new float[] {1}, new Shape(1, 1));
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        gc.backward(SlicedWasserstein.distance(a, b, theta));
      }
      // d/da_i mean((a_i - b_i)^2) = 2 (a_i - b_i) / 4 = -0.5 for every sample
      for (float g : a.getGradient().toFloatArray()) {
        assertEquals(-0.5f, g, 1e-6);
      }
    }
  }

  @Test
  void shouldGiveSameDistanceOnPlainArraysAsInAutograd() {
    java.util.Random random = new java.util.Random(3);
    int n = 300;
    float[] a = new float[n * 2];
    float[] b = new float[n * 2];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
      b[i] = (float) (0.7 * random.nextGaussian() + (i % 2 == 0 ? 0.4 : -0.2));
    }
    double[][] theta = SlicedWasserstein.directions(random, 2, 25);
    float[] flat = new float[2 * 25];
    for (int l = 0; l < 25; l++) {
      flat[l] = (float) theta[l][0];
      flat[25 + l] = (float) theta[l][1];
    }
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      double expected =
          SlicedWasserstein.distance(
                  m.create(a, new Shape(n, 2)),
                  m.create(b, new Shape(n, 2)),
                  m.create(flat, new Shape(2, 25)))
              .getFloat();
      double plain = SlicedWasserstein.distance(a, b, n, 2, theta);
      assertTrue(plain > 0.05, "distinct distributions have a positive distance");
      assertEquals(expected, plain, 1e-5 * expected);
    }
  }
}
