package io.macroscope.dynamics.closure;

import java.util.Random;

/** Seeded standard-normal test inputs. */
final class Gaussians {

  private Gaussians() {}

  /** n independent standard-normal floats from {@code random}. */
  static float[] floats(Random random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
