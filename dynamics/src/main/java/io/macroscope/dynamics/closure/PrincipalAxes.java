package io.macroscope.dynamics.closure;

/**
 * A canonical frame for a point cloud: the eigenvectors of its covariance about a given origin, by
 * decreasing variance, each one pointing to the side where the cloud's third moment along it is
 * positive. Rotating or mirroring the cloud rotates or mirrors these axes with it, so the
 * coordinates of the points along them do not change; only for (nearly) equal variances or a
 * (nearly) zero third moment is the choice arbitrary, and there the cloud looks (nearly) the same
 * from either choice.
 */
final class PrincipalAxes {

  private static final int SWEEPS = 50;

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
   * Eigenvectors of a symmetric matrix by cyclic Jacobi rotations, as rows sorted by decreasing
   * eigenvalue ({@code a} is overwritten).
   */
  static double[] eigenvectors(double[] a, int dim) {
    double[] v = new double[dim * dim];
    for (int k = 0; k < dim; k++) {
      v[k * dim + k] = 1;
    }
    for (int sweep = 0; sweep < SWEEPS; sweep++) {
      double off = 0;
      double diag = 0;
      for (int r = 0; r < dim; r++) {
        diag += a[r * dim + r] * a[r * dim + r];
        for (int s = r + 1; s < dim; s++) {
          off += a[r * dim + s] * a[r * dim + s];
        }
      }
      if (off <= 1e-30 * Math.max(diag, 1e-300)) {
        break;
      }
      for (int r = 0; r < dim; r++) {
        for (int s = r + 1; s < dim; s++) {
          rotate(a, v, dim, r, s);
        }
      }
    }
    Integer[] order = new Integer[dim];
    for (int k = 0; k < dim; k++) {
      order[k] = k;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y * dim + y], a[x * dim + x]));
    double[] rows = new double[dim * dim];
    for (int k = 0; k < dim; k++) {
      for (int j = 0; j < dim; j++) {
        rows[k * dim + j] = v[j * dim + order[k]]; // column order[k] of v
      }
    }
    return rows;
  }

  /** One Jacobi rotation zeroing a[r][s]; v accumulates the rotations (columns = eigenvectors). */
  private static void rotate(double[] a, double[] v, int dim, int r, int s) {
    double ars = a[r * dim + s];
    if (ars == 0) {
      return;
    }
    double theta = (a[s * dim + s] - a[r * dim + r]) / (2 * ars);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double sn = t * c;
    for (int k = 0; k < dim; k++) {
      double akr = a[k * dim + r];
      double aks = a[k * dim + s];
      a[k * dim + r] = c * akr - sn * aks;
      a[k * dim + s] = sn * akr + c * aks;
    }
    for (int k = 0; k < dim; k++) {
      double ark = a[r * dim + k];
      double ask = a[s * dim + k];
      a[r * dim + k] = c * ark - sn * ask;
      a[s * dim + k] = sn * ark + c * ask;
    }
    for (int k = 0; k < dim; k++) {
      double vkr = v[k * dim + r];
      double vks = v[k * dim + s];
      v[k * dim + r] = c * vkr - sn * vks;
      v[k * dim + s] = sn * vkr + c * vks;
    }
  }
}
