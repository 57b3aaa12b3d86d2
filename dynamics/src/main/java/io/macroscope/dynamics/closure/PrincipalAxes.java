package io.macroscope.dynamics.closure;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * A canonical frame for a point cloud: the eigenvectors of its covariance about a given origin, by
 * decreasing variance, each one pointing to the side where the cloud's third moment along it is
 * positive. Rotating or mirroring the cloud rotates or mirrors these axes with it, so the
 * coordinates of the points along them do not change; only for (nearly) equal variances or a
 * (nearly) zero third moment is the choice arbitrary, and there the cloud looks (nearly) the same
 * from either choice.
 */
final class PrincipalAxes {

  private PrincipalAxes() {}

  /**
   * @param p n points of {@code dim} coordinates, row-major
   * @param origin the point the covariance is taken about (the centroid)
   * @return the axes as the rows of a dim x dim orthogonal matrix, row-major
   */
  static double[] of(float[] p, int n, int dim, double[] origin) {
    double[] c = new double[dim * dim];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < dim; a++) {
        double da = p[i * dim + a] - origin[a];
        for (int b = 0; b < dim; b++) {
          c[a * dim + b] += da * (p[i * dim + b] - origin[b]);
        }
      }
    }
    double[] v = eigenvectors(c, dim);
    for (int k = 0; k < dim; k++) {
      double third = 0;
      for (int i = 0; i < n; i++) {
        double u = 0;
        for (int j = 0; j < dim; j++) {
          u += v[k * dim + j] * (p[i * dim + j] - origin[j]);
        }
        third += u * u * u;
      }
      if (third < 0) {
        for (int j = 0; j < dim; j++) {
          v[k * dim + j] = -v[k * dim + j];
        }
      }
    }
    return v;
  }

  /**
   * Eigenvectors of a symmetric matrix (row-major, dim x dim) as rows sorted by decreasing
   * eigenvalue.
   */
  static double[] eigenvectors(double[] a, int dim) {
    double[][] m = new double[dim][];
    for (int r = 0; r < dim; r++) {
      m[r] = Arrays.copyOfRange(a, r * dim, (r + 1) * dim);
    }
    EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(m, false));
    Integer[] order = new Integer[dim];
    for (int k = 0; k < dim; k++) {
      order[k] = k;
    }
    Arrays.sort(
        order, (x, y) -> Double.compare(eigen.getRealEigenvalue(y), eigen.getRealEigenvalue(x)));
    double[] rows = new double[dim * dim];
    for (int k = 0; k < dim; k++) {
      double[] v = eigen.getEigenvector(order[k]).toArray();
      System.arraycopy(v, 0, rows, k * dim, dim);
    }
    return rows;
  }
}
