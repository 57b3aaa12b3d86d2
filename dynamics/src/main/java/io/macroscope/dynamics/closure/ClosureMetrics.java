package io.macroscope.dynamics.closure;

/**
 * Rollout metrics of the closure-model paper: the mean relative error of a deterministic macro
 * trajectory, and the multi-kernel maximum mean discrepancy between predicted and true trajectory
 * distributions per time step, averaged over time.
 */
public final class ClosureMetrics {

  /** RBF bandwidths, as multiples of the true values' standard deviation. */
  private static final double[] BANDWIDTHS = {0.1, 0.2, 0.5, 1, 2, 5};

  private ClosureMetrics() {}

  /**
   * ||predicted - truth|| / ||truth|| over steps 1..T and all macros (step 0 is the given initial
   * state and is left out).
   *
   * @param predicted [step][macro]
   * @param truth [step][macro]
   */
  public static double relativeError(double[][] predicted, double[][] truth) {
    double num = 0;
    double den = 0;
    int steps = Math.min(predicted.length, truth.length);
    for (int t = 1; t < steps; t++) {
      for (int k = 0; k < truth[t].length; k++) {
        num += (predicted[t][k] - truth[t][k]) * (predicted[t][k] - truth[t][k]);
        den += truth[t][k] * truth[t][k];
      }
    }
    return den == 0 ? Double.NaN : Math.sqrt(num / den);
  }

  /**
   * Time-averaged MMD^2 (biased estimate) between samples of predicted and true states per step,
   * with a sum of Gaussian kernels whose bandwidths scale with the true values' spread.
   *
   * @param predicted [sample][step][macro]
   * @param truth [sample][step][macro]
   */
  public static double mmd(double[][][] predicted, double[][][] truth) {
    int steps = Math.min(predicted[0].length, truth[0].length);
    int q = truth[0][0].length;
    double mean = 0;
    double sq = 0;
    int count = 0;
    for (double[][] s : truth) {
      for (int t = 0; t < steps; t++) {
        for (int k = 0; k < q; k++) {
          mean += s[t][k];
          sq += s[t][k] * s[t][k];
          count++;
        }
      }
    }
    mean /= count;
    double scale = Math.sqrt(Math.max(sq / count - mean * mean, 1e-24));
    double total = 0;
    for (int t = 1; t < steps; t++) {
      total += stepMmd(predicted, truth, t, scale);
    }
    return steps > 1 ? total / (steps - 1) : 0;
  }

  private static double stepMmd(double[][][] a, double[][][] b, int t, double scale) {
    return meanKernel(a, a, t, scale) + meanKernel(b, b, t, scale) - 2 * meanKernel(a, b, t, scale);
  }

  private static double meanKernel(double[][][] a, double[][][] b, int t, double scale) {
    double sum = 0;
    for (double[][] x : a) {
      for (double[][] y : b) {
        double d2 = 0;
        for (int k = 0; k < x[t].length; k++) {
          d2 += (x[t][k] - y[t][k]) * (x[t][k] - y[t][k]);
        }
        for (double h : BANDWIDTHS) {
          double bw = h * scale;
          sum += Math.exp(-d2 / (2 * bw * bw));
        }
      }
    }
    return sum / ((double) a.length * b.length);
  }
}
