package io.macroscope.streams.pipeline;

import io.macroscope.schemas.ForecastStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Ensemble statistics per horizon step: mean, standard deviation and quantiles per component. */
public final class ForecastStats {

  private ForecastStats() {}

  /**
   * @param members [member][step][component]
   * @param levels quantile levels in (0, 1), ascending
   * @param dt model time per step
   */
  public static List<ForecastStep> steps(double[][][] members, double[] levels, double dt) {
    int k = members.length;
    int steps = members[0].length;
    int components = members[0][0].length;
    List<ForecastStep> out = new ArrayList<>(steps);
    double[] column = new double[k];
    for (int t = 0; t < steps; t++) {
      List<Double> mean = new ArrayList<>(components);
      List<Double> std = new ArrayList<>(components);
      List<List<Double>> quantiles = new ArrayList<>(components);
      for (int c = 0; c < components; c++) {
        double sum = 0;
        for (int e = 0; e < k; e++) {
          column[e] = members[e][t][c];
          sum += column[e];
        }
        double m = sum / k;
        double var = 0;
        for (int e = 0; e < k; e++) {
          var += (column[e] - m) * (column[e] - m);
        }
        mean.add(m);
        std.add(k > 1 ? Math.sqrt(var / (k - 1)) : 0.0);
        Arrays.sort(column);
        List<Double> q = new ArrayList<>(levels.length);
        for (double level : levels) {
          q.add(quantile(column, level));
        }
        quantiles.add(q);
      }
      out.add(
          ForecastStep.newBuilder()
              .setStep(t)
              .setTime(t * dt)
              .setMean(mean)
              .setStd(std)
              .setQuantiles(quantiles)
              .build());
    }
    return out;
  }

  /** Linear-interpolation quantile (type 7) of sorted values. */
  static double quantile(double[] sorted, double level) {
    double h = (sorted.length - 1) * level;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
