package io.macroscope.dynamics.bundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * A map z' = R z + t that carries a new model's latent coordinates onto the serving model's, fitted
 * on a shared reference batch. For a Dynamics-AE, R is orthogonal (reflections allowed; {@link
 * #fit}, orthogonal Procrustes with a shift): its diffusion convention fixes the latent metric, so
 * the latent is defined up to an isometry. A closure model's latent has no metric convention (its
 * rollouts run in their own normalised coordinates), so any invertible affine map will do and the
 * least-squares one ({@link #fitAffine}) moves reference points least. Folding the map into a
 * release keeps coordinates, alert rules and plots continuous across retraining.
 *
 * @param rotation R, row-major d x d (orthogonal for an isometry, otherwise any invertible matrix)
 * @param shift t
 * @param residual root-mean-square distance between the aligned and the target rows
 * @param relativeResidual residual divided by the target rows' root-mean-square spread
 */
public record LatentAlignment(
    double[] rotation, double[] shift, double residual, double relativeResidual) {

  /** Latent dimension d. */
  public int dim() {
    return shift.length;
  }

  /** The identity (for a first release). */
  public static LatentAlignment identity(int d) {
    double[] r = new double[d * d];
    for (int i = 0; i < d; i++) {
      r[i * d + i] = 1;
    }
    return new LatentAlignment(r, new double[d], 0, 0);
  }

  /**
   * The isometry minimising sum_i |R z_i + t - y_i|^2.
   *
   * @param z the new model's latents of the reference batch (n x d, row-major)
   * @param y the serving model's latents of the same batch
   */
  public static LatentAlignment fit(float[] z, float[] y, int n, int d) {
    if (z.length != n * d || y.length != n * d || n < 2) {
      throw new IllegalArgumentException("need two n x d latent batches with n >= 2");
    }
    double[] mz = means(z, n, d);
    double[] my = means(y, n, d);
    // H = sum (z - mz)(y - my)^T ; H = U S V^T ; R = V U^T
    double[][] h = new double[d][d];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          h[a][b] += (z[i * d + a] - mz[a]) * (y[i * d + b] - my[b]);
        }
      }
    }
    SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(h));
    RealMatrix r = svd.getV().multiply(svd.getUT());
    return fitted(r, mz, my, z, y, n);
  }

  /**
   * The affine map minimising sum_i |R z_i + t - y_i|^2 over all matrices R; falls back to {@link
   * #fit} when the batch's latents do not span all d directions (R would not be invertible).
   */
  public static LatentAlignment fitAffine(float[] z, float[] y, int n, int d) {
    if (z.length != n * d || y.length != n * d || n < d + 1) {
      throw new IllegalArgumentException("need two n x d latent batches with n > d");
    }
    double[] mz = means(z, n, d);
    double[] my = means(y, n, d);
    // R = C_yz C_zz^-1 with C_zz = sum (z - mz)(z - mz)^T, C_yz = sum (y - my)(z - mz)^T
    double[][] czz = new double[d][d];
    double[][] cyz = new double[d][d];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          double zb = z[i * d + b] - mz[b];
          czz[a][b] += (z[i * d + a] - mz[a]) * zb;
          cyz[a][b] += (y[i * d + a] - my[a]) * zb;
        }
      }
    }
    RealMatrix czzM = new Array2DRowRealMatrix(czz);
    SingularValueDecomposition svd = new SingularValueDecomposition(czzM);
    if (!(svd.getConditionNumber() < 1e8)) {
      return fit(z, y, n, d);
    }
    RealMatrix r = new Array2DRowRealMatrix(cyz).multiply(svd.getSolver().getInverse());
    if (!(new SingularValueDecomposition(r).getConditionNumber() < 1e8)) {
      return fit(z, y, n, d); // a near-singular map could not be inverted by the forecaster
    }
    return fitted(r, mz, my, z, y, n);
  }

  /** Column means of n x d rows. */
  private static double[] means(float[] rows, int n, int d) {
    double[] m = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        m[k] += rows[i * d + k] / (double) n;
      }
    }
    return m;
  }

  /** The map with linear part r that takes the mean mz to my, with its residual on the batch. */
  private static LatentAlignment fitted(
      RealMatrix r, double[] mz, double[] my, float[] z, float[] y, int n) {
    int d = mz.length;
    double[] matrix = new double[d * d];
    double[] shift = new double[d];
    for (int a = 0; a < d; a++) {
      double rz = 0;
      for (int b = 0; b < d; b++) {
        matrix[a * d + b] = r.getEntry(a, b);
        rz += r.getEntry(a, b) * mz[b];
      }
      shift[a] = my[a] - rz;
    }
    return withResidual(new LatentAlignment(matrix, shift, 0, 0), z, y, n, my);
  }

  /** The fitted map with its residual on the batch. */
  private static LatentAlignment withResidual(
      LatentAlignment fitted, float[] z, float[] y, int n, double[] my) {
    int d = fitted.dim();
    float[] aligned = fitted.apply(z, n);
    double sq = 0;
    double spread = 0;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        double e = aligned[i * d + k] - y[i * d + k];
        double s = y[i * d + k] - my[k];
        sq += e * e;
        spread += s * s;
      }
    }
    double residual = Math.sqrt(sq / n);
    return new LatentAlignment(
        fitted.rotation(),
        fitted.shift(),
        residual,
        spread > 0 ? residual / Math.sqrt(spread / n) : 0);
  }

  /** Whether R is orthogonal (the map is an isometry). */
  public boolean isometry() {
    int d = dim();
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double dot = 0;
        for (int k = 0; k < d; k++) {
          dot += rotation[k * d + a] * rotation[k * d + b];
        }
        if (Math.abs(dot - (a == b ? 1 : 0)) > 1e-6) {
          return false;
        }
      }
    }
    return true;
  }

  /** R z + t for every row of {@code z} (n x d). */
  public float[] apply(float[] z, int n) {
    int d = dim();
    float[] out = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        double v = shift[a];
        for (int b = 0; b < d; b++) {
          v += rotation[a * d + b] * z[i * d + b];
        }
        out[i * d + a] = (float) v;
      }
    }
    return out;
  }

  /** The inverse map z = R^-1 (z' - t), i.e. R^-1 z' - R^-1 t (its residuals are zero). */
  public LatentAlignment inverse() {
    int d = dim();
    RealMatrix r = new Array2DRowRealMatrix(d, d);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        r.setEntry(a, b, rotation[a * d + b]);
      }
    }
    RealMatrix inv =
        isometry()
            ? r.transpose()
            : new org.apache.commons.math3.linear.LUDecomposition(r).getSolver().getInverse();
    double[] inverse = new double[d * d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        inverse[a * d + b] = inv.getEntry(a, b);
      }
    }
    double[] shift = new double[d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        shift[a] -= inverse[a * d + b] * this.shift[b];
      }
    }
    return new LatentAlignment(inverse, shift, 0, 0);
  }

  /**
   * The alignment a manifest records (see {@link #describe()}).
   *
   * @throws BundleException if the record is incomplete or not d x d
   */
  public static LatentAlignment of(Map<String, Object> described, int d) {
    double[] r = numbers(described.get("rotation"), d * d, "rotation");
    double[] t = numbers(described.get("shift"), d, "shift");
    return new LatentAlignment(
        r,
        t,
        described.get("residual") instanceof Number n ? n.doubleValue() : 0,
        described.get("relativeResidual") instanceof Number n ? n.doubleValue() : 0);
  }

  private static double[] numbers(Object value, int size, String name) {
    if (!(value instanceof List<?> list) || list.size() != size) {
      throw new BundleException("manifest alignment." + name + " must hold " + size + " numbers");
    }
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw new BundleException("manifest alignment." + name + " must hold numbers");
      }
      out[i] = n.doubleValue();
    }
    return out;
  }

  /** As recorded in a manifest and a release. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Double> r = new ArrayList<>();
    for (double v : rotation) {
      r.add(v);
    }
    List<Double> t = new ArrayList<>();
    for (double v : shift) {
      t.add(v);
    }
    m.put("method", isometry() ? "orthogonal-procrustes-with-shift" : "affine-least-squares");
    m.put("rotation", r);
    m.put("shift", t);
    m.put("residual", residual);
    m.put("relativeResidual", relativeResidual);
    return m;
  }
}
