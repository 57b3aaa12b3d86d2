package io.macroscope.dynamics.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Isometry-corrected latent error (Dynamics-AE paper, Eq. 8): the mean squared distance between a
 * learned latent trajectory, optimally rotated/reflected and shifted onto the true coordinates, and
 * those coordinates (orthogonal Procrustes via SVD), relative to the total variance of the truth.
 * The similarity variant also fits a free scale, which makes results comparable across diffusion
 * conventions (the convention fixes the latent scale).
 */
public final class LatentError {

  private LatentError() {}

  /**
   * Result of one comparison.
   *
   * @param strict relative error with a rotation/reflection and shift only
   * @param similarity relative error with a free scale as well
   * @param scale the fitted scale of the similarity variant
   */
  public record Result(double strict, double similarity, double scale) {}

  /**
   * Compares {@code latent} (n x d) with {@code truth} (n x d), both row-major.
   *
   * @throws IllegalArgumentException if the sizes differ or the truth has no variance
   */
  public static Result compute(double[] latent, double[] truth, int n, int d) {
    if (latent.length != n * d || truth.length != n * d) {
      throw new IllegalArgumentException(
          "latent and truth must both hold n*d = " + n * d + " values");
    }
    double[] meanL = columnMeans(latent, n, d);
    double[] meanT = columnMeans(truth, n, d);
    double[][] cross = new double[d][d]; // truth^T latent, centred
    double varL = 0;
    double varT = 0;
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        double t = truth[i * d + a] - meanT[a];
        double l = latent[i * d + a] - meanL[a];
        varT += t * t;
        varL += l * l;
        for (int b = 0; b < d; b++) {
          cross[a][b] += t * (latent[i * d + b] - meanL[b]);
        }
      }
    }
    if (!(varT > 0)) {
      throw new IllegalArgumentException("the truth has no variance");
    }
    SingularValueDecomposition svd =
        new SingularValueDecomposition(new Array2DRowRealMatrix(cross));
    double traceS = 0;
    for (double s : svd.getSingularValues()) {
      traceS += s;
    }
    // min_Q ||T - L Q^T||^2 = varT + varL - 2 tr(S); with a free scale c = tr(S) / varL.
    double strict = Math.max(0, varT + varL - 2 * traceS) / varT;
    double similarity = varL > 0 ? Math.max(0, varT - traceS * traceS / varL) / varT : 1.0;
    double scale = varL > 0 ? traceS / varL : 0;
    return new Result(strict, similarity, scale);
  }

  /** {@link #compute(double[], double[], int, int)} for a float latent (as encoders produce). */
  public static Result compute(float[] latent, double[] truth, int n, int d) {
    double[] values = new double[latent.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = latent[i];
    }
    return compute(values, truth, n, d);
  }

  private static double[] columnMeans(double[] values, int n, int d) {
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        mean[a] += values[i * d + a];
      }
    }
    for (int a = 0; a < d; a++) {
      mean[a] /= n;
    }
    return mean;
  }
}
