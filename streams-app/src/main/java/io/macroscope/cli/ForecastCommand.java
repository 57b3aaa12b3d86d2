package io.macroscope.cli;

import io.macroscope.dynamics.bundle.ClosureForecaster;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.particles.Trajectories;
import io.macroscope.dynamics.plot.ForecastPlots;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope forecast}: macro forecasts of a closure bundle from a trajectory's start. */
@Command(
    name = "forecast",
    mixinStandardHelpOptions = true,
    description = {
      "Encodes the FIRST frame of a trajectory with a closure bundle and rolls its SDE "
          + "(or ODE) forward: an ensemble of K rollouts for H steps. Writes a CSV with, per "
          + "macro, the mean and the 5/50/95 %% quantiles per step (step 0 = the initial "
          + "state), and a PNG per macro beside it (with the trajectory's own values as truth "
          + "where it has them)."
    })
final class ForecastCommand implements Callable<Integer> {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "BUNDLE",
      description = "Closure bundle.")
  Path model;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "TRAJ.xyz",
      description =
          "Trajectory (extended XYZ, or a LAMMPS dump with its <name>.log); only its first frame is"
              + " used as input.")
  Path input;

  @Option(
      names = "--horizon",
      defaultValue = "100",
      description = "Steps H (default: ${DEFAULT-VALUE}).")
  int horizon;

  @Option(
      names = "--ensemble",
      defaultValue = "64",
      description = "Rollouts K (default: ${DEFAULT-VALUE}).")
  int ensemble;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Noise seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FORECAST.csv",
      description = "CSV to write.")
  Path out;

  @Option(names = "--no-plot", description = "Skip the PNG plots.")
  boolean noPlot;

  @Override
  public Integer call() throws IOException {
    if (horizon < 1 || ensemble < 1) {
      throw new IllegalArgumentException("--horizon and --ensemble must be >= 1");
    }
    List<ParticleFrame> frames = Trajectories.readOne(input);
    try (ClosureForecaster forecaster = new ClosureForecaster(ModelBundle.read(model), 1)) {
      double[][][] rollouts = forecaster.forecast(frames.get(0), horizon, ensemble, seed);
      List<String> macros = forecaster.macros();
      Path parent = out.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      double[][][] stats = new double[macros.size()][4][horizon + 1];
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
        StringBuilder header = new StringBuilder("step");
        for (String m : macros) {
          header.append(String.format(",%1$s_mean,%1$s_q05,%1$s_q50,%1$s_q95", m));
        }
        w.println(header);
        for (int t = 0; t <= horizon; t++) {
          StringBuilder row = new StringBuilder(Integer.toString(t));
          for (int k = 0; k < macros.size(); k++) {
            double[] values = new double[ensemble];
            for (int e = 0; e < ensemble; e++) {
              values[e] = rollouts[e][t][k];
            }
            Arrays.sort(values);
            stats[k][0][t] = Arrays.stream(values).average().orElse(Double.NaN);
            stats[k][1][t] = quantile(values, 0.05);
            stats[k][2][t] = quantile(values, 0.5);
            stats[k][3][t] = quantile(values, 0.95);
            for (int s = 0; s < 4; s++) {
              row.append(String.format(Locale.ROOT, ",%.8g", stats[k][s][t]));
            }
          }
          w.println(row);
        }
      }
      System.out.printf(
          "forecast of %d steps x %d rollouts written to %s%n", horizon, ensemble, out);
      if (!noPlot) {
        for (int k = 0; k < macros.size(); k++) {
          double[] truth = truth(frames, macros.get(k), horizon);
          String base = out.getFileName().toString().replaceFirst("\\.csv$", "");
          Path png = parent.resolve(base + "-" + macros.get(k) + ".png");
          ForecastPlots.band(png, macros.get(k), stats[k][0], stats[k][1], stats[k][3], truth);
          System.out.printf("plot written to %s%n", png);
        }
      }
    }
    return 0;
  }

  /** Linear-interpolated quantile of sorted values. */
  static double quantile(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int i = (int) Math.floor(pos);
    int j = Math.min(sorted.length - 1, i + 1);
    return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
  }

  private static double[] truth(List<ParticleFrame> frames, String macro, int horizon) {
    int n = Math.min(frames.size(), horizon + 1);
    double[] v = new double[n];
    for (int t = 0; t < n; t++) {
      if (!frames.get(t).info().containsKey(macro)) {
        return null;
      }
      v[t] = frames.get(t).macro(macro);
    }
    return v;
  }
}
