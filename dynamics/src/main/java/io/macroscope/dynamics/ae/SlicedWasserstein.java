package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Sliced-Wasserstein distance (p = 2) between two equally sized sample sets: project both on L
 * random unit directions, sort each projection, and average the squared differences of the sorted
 * values. The sort is inside the autograd graph, so gradients reach both sets.
 */
public final class SlicedWasserstein {

  private SlicedWasserstein() {}

  /** L random directions, uniform on the unit sphere in R^d, as a (d, L) array. */
  public static NDArray directions(NDManager manager, int dim, int projections) {
    NDArray theta = manager.randomNormal(new Shape(dim, projections));
    return theta.div(theta.norm(new int[] {0}, true));
  }

  /**
   * SW_2^2 between the rows of {@code a} and {@code b} (both (n, d)) along {@code theta} (d, L).
   */
  public static NDArray distance(NDArray a, NDArray b, NDArray theta) {
    if (!a.getShape().equals(b.getShape())) {
      throw new IllegalArgumentException(
          "sample sets must have the same shape, got " + a.getShape() + " and " + b.getShape());
    }
    NDArray pa = a.matMul(theta).sort(0);
    NDArray pb = b.matMul(theta).sort(0);
    return pa.sub(pb).square().mean();
  }

  /**
   * The same SW_2^2 on plain arrays (no autograd): rows of {@code a} and {@code b} (both n x d,
   * row-major) projected on the unit directions {@code theta[l]} (each of length d).
   */
  public static double distance(float[] a, float[] b, int n, int d, double[][] theta) {
    if (a.length != n * d || b.length != n * d) {
      throw new IllegalArgumentException("both sample sets must hold n * d values");
    }
    double[] pa = new double[n];
    double[] pb = new double[n];
    double sum = 0;
    for (double[] t : theta) {
      for (int i = 0; i < n; i++) {
        double u = 0;
        double v = 0;
        for (int k = 0; k < d; k++) {
          u += a[i * d + k] * t[k];
          v += b[i * d + k] * t[k];
        }
        pa[i] = u;
        pb[i] = v;
      }
      java.util.Arrays.sort(pa);
      java.util.Arrays.sort(pb);
      for (int i = 0; i < n; i++) {
        sum += (pa[i] - pb[i]) * (pa[i] - pb[i]);
      }
    }
    return sum / ((double) n * theta.length);
  }

  /** L unit directions in R^d drawn from {@code random} (uniform on the sphere). */
  public static double[][] directions(java.util.Random random, int dim, int projections) {
    double[][] theta = new double[projections][dim];
    for (double[] t : theta) {
      double norm = 0;
      for (int k = 0; k < dim; k++) {
        t[k] = random.nextGaussian();
        norm += t[k] * t[k];
      }
      norm = Math.sqrt(norm);
      for (int k = 0; k < dim; k++) {
        t[k] /= norm;
      }
    }
    return theta;
  }
}
