package io.macroscope.dynamics.ae;

import io.macroscope.dynamics.metrics.LatentError;
import io.macroscope.dynamics.sim.Mobility2D;
import io.macroscope.dynamics.sim.ThreeWellTrajectory;
import io.macroscope.dynamics.sim.Warp;

/**
 * Benchmark (not a test): Dynamics-AE with constant and with position-dependent diffusion (both
 * forms) on a three-well trajectory whose mobility varies along x, m(x) = exp(a tanh(x / w)).
 * Reports each latent's similarity error and, for the position model, the correlation of the
 * learned log M(z) with the true log m(x). Run with {@code bench/dynamics-ae-diffusion.sh [frames]
 * [epochs] [a] [seed] [modes=constant,position,coupled]}.
 */
public final class PositionDiffusionBenchmark {

  private PositionDiffusionBenchmark() {}

  public static void main(String[] args) {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    double a = args.length > 2 ? Double.parseDouble(args[2]) : 0.5;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
    String which = args.length > 4 ? args[4] : "constant,position,coupled";
    Mobility2D mobility = Mobility2D.tanhAlongX(a, 0.5);
    ThreeWellTrajectory t =
        ThreeWellTrajectory.simulate(frames, 1.0, 1e-3, 10, Warp.PARABOLIC, mobility, 11 + seed);
    float[] observed = t.observedFloats();
    double[] logM = new double[frames];
    double[] m = new double[4];
    for (int i = 0; i < frames; i++) {
      mobility.at(t.truth()[2 * i], t.truth()[2 * i + 1], m);
      logM[i] = Math.log(m[0]);
    }
    System.out.printf(
        "three-well, mobility exp(%.2f tanh(x/0.5)), %d frames, %d epochs%n", a, frames, epochs);
    for (String mode : which.split(",")) {
      DynamicsAeConfig.Diffusion diffusion =
          DynamicsAeConfig.Diffusion.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
      boolean position = diffusion.positionDependent();
      DynamicsAeConfig config =
          DynamicsAeConfig.builder()
              .setLatentDim(2)
              .optEpochs(epochs)
              .optSeed(seed)
              .optDiffusion(diffusion)
              .build();
      long start = System.nanoTime();
      try (TrainedAutoencoder model =
          new DynamicsAeTrainer(
                  config,
                  e -> {
                    if (Boolean.getBoolean("bench.epochs")) {
                      System.out.printf(
                          "  epoch %2d rec %.5f sw %.4f valid sw %.4f objective %.4f bins %d%s%n",
                          e.epoch(),
                          e.reconstruction(),
                          e.slicedWasserstein(),
                          e.validationSlicedWasserstein(),
                          e.validationObjective(),
                          e.bins(),
                          e.rolledBackTo() >= 0 ? " rolled back to " + e.rolledBackTo() : "");
                    }
                  })
              .fit(observed, frames, 2)) {
        float[] z = model.encode(observed, frames);
        LatentError.Result r = LatentError.compute(z, t.truth(), frames, 2);
        float[] learned = model.diffusion(z, frames);
        double[] logLearned = new double[frames];
        double meanLog = 0;
        for (int i = 0; i < frames; i++) {
          logLearned[i] = 0.5 * (Math.log(learned[2 * i]) + Math.log(learned[2 * i + 1]));
          meanLog += logLearned[i] / frames;
        }
        System.out.printf(
            "%-9s diffusion: similarity error %.4f (scale %.4f), corr(log M, log m) %s,"
                + " geometric mean of M %.3f, corr(log M, log local residual diffusion) over %s,"
                + " %.0f s%n",
            mode,
            r.similarity(),
            r.scale(),
            position ? String.format("%.3f", correlation(logLearned, logM)) : "n/a",
            Math.exp(meanLog),
            position ? localCalibration(model, z, learned, frames) : "n/a",
            (System.nanoTime() - start) / 1e9);
      }
    }
  }

  /**
   * Whether M(z) says how the latent actually diffuses: latent cells of 2 x 2 units with at least
   * 500 moves; in each, the log of half the mean squared residual move per axis (move minus the
   * prior's mean M f + D dM/dz) against the log of the mean learned M.
   */
  static String localCalibration(TrainedAutoencoder model, float[] z, float[] m, int frames) {
    float[] mean = model.moveMean(z, frames);
    java.util.Map<Long, double[]> cells = new java.util.HashMap<>();
    for (int t = 0; t + 1 < frames; t++) {
      long key =
          Math.round(Math.floor(z[2 * t] / 2)) * 100_003L
              + Math.round(Math.floor(z[2 * t + 1] / 2));
      double[] c = cells.computeIfAbsent(key, k -> new double[3]);
      for (int i = 0; i < 2; i++) {
        int at = 2 * t + i;
        double residual = z[at + 2] - z[at] - mean[at];
        c[0] += residual * residual / (2 * DynamicsAeConfig.DIFFUSION);
        c[1] += m[at];
      }
      c[2] += 2;
    }
    java.util.List<double[]> kept = cells.values().stream().filter(c -> c[2] >= 1000).toList();
    double[] empirical = new double[kept.size()];
    double[] learned = new double[kept.size()];
    for (int k = 0; k < kept.size(); k++) {
      empirical[k] = Math.log(kept.get(k)[0] / kept.get(k)[2]);
      learned[k] = Math.log(kept.get(k)[1] / kept.get(k)[2]);
    }
    return String.format(
        "%d cells %.3f (sd of log M %.3f, of log local diffusion %.3f, rms gap %.3f)",
        kept.size(),
        correlation(learned, empirical),
        sd(learned),
        sd(empirical),
        rmsGap(learned, empirical));
  }

  private static double sd(double[] a) {
    double m = java.util.Arrays.stream(a).average().orElse(0);
    return Math.sqrt(java.util.Arrays.stream(a).map(v -> (v - m) * (v - m)).sum() / a.length);
  }

  private static double rmsGap(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(sum / a.length);
  }

  static double correlation(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i] / a.length;
      mb += b[i] / b.length;
    }
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
