package io.macroscope.dynamics.closure;

import io.macroscope.dynamics.particles.ParticleFrame;
import java.util.Arrays;
import java.util.List;

/**
 * Rollout metrics of the closure-model paper: the mean relative error of a deterministic macro
 * trajectory, and the multi-kernel maximum mean discrepancy between predicted and true trajectory
 * distributions per time step, averaged over time.
 */
public final class ClosureMetrics {

  /** RBF bandwidths, as multiples of the true values' standard deviation. */
  private static final double[] BANDWIDTHS = {0.1, 0.2, 0.5, 1, 2, 5};

  private ClosureMetrics() {}

  /** Something that forecasts [member][step 0..horizon][macro] from one microstate. */
  @FunctionalInterface
  public interface Forecast {
    double[][][] run(ParticleFrame initial, int horizon, int members, long seed);
  }

  /**
   * Scores over a test set.
   *
   * @param mre mean over trajectories of the relative error of the ensemble mean
   * @param mreSd standard deviation of the per-trajectory relative errors
   * @param mmd time-averaged MMD between the pooled members and the true values
   */
  public record Scores(
      int trajectories, int steps, int members, double mre, double mreSd, double mmd) {}

  /**
   * Forecasts every test trajectory from its first frame over the length of the shortest one
   * (trajectory i with seed + i) and scores the macros against the trajectories' own values.
   */
  public static Scores evaluate(
      List<List<ParticleFrame>> tests,
      List<String> macros,
      int members,
      long seed,
      Forecast forecast) {
    int steps = tests.stream().mapToInt(List::size).min().orElse(1);
    int q = macros.size();
    double[][][] predicted = new double[tests.size() * members][][];
    double[][][] actual = new double[tests.size()][steps][q];
    double[] errors = new double[tests.size()];
    for (int i = 0; i < tests.size(); i++) {
      List<ParticleFrame> t = tests.get(i);
      double[][][] r = forecast.run(t.get(0), steps - 1, members, seed + i);
      double[][] mean = new double[steps][q];
      for (int s = 0; s < steps; s++) {
        for (int k = 0; k < q; k++) {
          actual[i][s][k] = t.get(s).macro(macros.get(k));
          for (double[][] member : r) {
            mean[s][k] += member[s][k] / members;
          }
        }
      }
      System.arraycopy(r, 0, predicted, i * members, members);
      errors[i] = relativeError(mean, actual[i]);
    }
    double mre = Arrays.stream(errors).average().orElse(Double.NaN);
    double var =
        Arrays.stream(errors).map(e -> (e - mre) * (e - mre)).sum()
            / Math.max(1, errors.length - 1);
    return new Scores(
        tests.size(), steps - 1, members, mre, Math.sqrt(var), mmd(predicted, actual));
  }

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
