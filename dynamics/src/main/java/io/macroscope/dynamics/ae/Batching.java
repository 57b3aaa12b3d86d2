package io.macroscope.dynamics.ae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Seeded index shuffling, plain minibatching and input standardisation shared by the trainers. */
final class Batching {

  private Batching() {}

  /**
   * Rows per chunk for inference passes over a whole data set: large for small vectors, small for
   * images, so intermediate activations stay around a hundred megabytes.
   */
  static int inferenceChunk(long features) {
    return (int) Math.max(64, Math.min(8192, (4L << 20) / Math.max(1, features)));
  }

  /** A uniformly random permutation of 0..n-1. */
  static int[] permutation(int n, Random random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p, random);
    return p;
  }

  /** The indices shuffled and cut into full batches (a last partial batch is dropped). */
  static List<int[]> shuffledBatches(int[] indices, int batchSize, Random random) {
    int[] shuffled = indices.clone();
    shuffle(shuffled, random);
    List<int[]> batches = new ArrayList<>();
    for (int start = 0; start + batchSize <= shuffled.length; start += batchSize) {
      batches.add(Arrays.copyOfRange(shuffled, start, start + batchSize));
    }
    return batches;
  }

  static void shuffle(int[] values, Random random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }

  /** Scales inputs as {@code scaling} says, filling the per-feature mean and scale applied. */
  static float[] scale(
      DynamicsAeConfig.Scaling scaling, float[] in, int n, int f, float[] mean, float[] scale) {
    return switch (scaling) {
      case RAW -> identity(in, f, mean, scale);
      case STANDARDIZE -> standardize(in, n, f, mean, scale);
      case UNIT_RANGE -> unitRange(in, f, mean, scale);
    };
  }

  /** One global (x - min) / (max - min) for all features, so images keep their contrast. */
  static float[] unitRange(float[] in, int f, float[] mean, float[] scale) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : in) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    float range = hi > lo ? hi - lo : 1f;
    java.util.Arrays.fill(mean, lo);
    java.util.Arrays.fill(scale, range);
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (in[i] - lo) / range;
    }
    return out;
  }

  /** Identity normalisation (mean 0, scale 1 recorded) for training on the data's own units. */
  static float[] identity(float[] in, int f, float[] mean, float[] scale) {
    java.util.Arrays.fill(mean, 0f);
    java.util.Arrays.fill(scale, 1f);
    return in;
  }

  /** Per-feature standardisation; constant features keep scale 1. */
  static float[] standardize(float[] in, int n, int f, float[] mean, float[] scale) {
    double[] sum = new double[f];
    double[] sq = new double[f];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        double v = in[i * f + j];
        sum[j] += v;
        sq[j] += v * v;
      }
    }
    for (int j = 0; j < f; j++) {
      double m = sum[j] / n;
      double var = Math.max(0, sq[j] / n - m * m);
      mean[j] = (float) m;
      scale[j] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
    }
    float[] out = new float[in.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        out[i * f + j] = (in[i * f + j] - mean[j]) / scale[j];
      }
    }
    return out;
  }
}
