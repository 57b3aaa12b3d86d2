package io.macroscope.cli;

import io.macroscope.dynamics.data.Npy;
import io.macroscope.dynamics.data.NpyArray;
import io.macroscope.dynamics.metrics.LatentError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope evaluate}: latent error against known coordinates. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Either (--latent, --truth) the isometry-corrected latent error of a latent "
          + "trajectory against the true coordinates (orthogonal Procrustes + shift), relative "
          + "to the truth's variance: strict, and with a free scale (similarity); or (--model, "
          + "--input) the rollout errors of a closure bundle over a directory of test "
          + "trajectories, each forecast from its first frame: mean relative error (MRE) of the "
          + "ensemble mean, and the time-averaged multi-kernel MMD between predicted and true "
          + "macro distributions per step."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Option(names = "--latent", paramLabel = "Z.npy", description = "Latent trajectory (T, d).")
  Path latent;

  @Option(names = "--truth", paramLabel = "T.npy", description = "True coordinates (T, d).")
  Path truth;

  @Option(names = "--model", paramLabel = "BUNDLE", description = "Closure bundle to evaluate.")
  Path model;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Test trajectories (.xyz files or LAMMPS dumps).")
  Path input;

  @Option(
      names = "--ensemble",
      defaultValue = "16",
      description = "Rollouts per trajectory for an SDE model (default: ${DEFAULT-VALUE}).")
  int ensemble;

  @Option(
      names = "--plot",
      paramLabel = "PNG",
      description =
          "With --latent and --truth (d = 2): write truth and latent side by side, coloured by"
              + " the true position.")
  Path plot;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Noise seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    if (model != null || input != null) {
      if (model == null || input == null || latent != null || truth != null) {
        throw new IllegalArgumentException(
            "give either --latent and --truth, or --model and --input");
      }
      return evaluateClosure();
    }
    if (latent == null || truth == null) {
      throw new IllegalArgumentException(
          "give either --latent and --truth, or --model and --input");
    }
    NpyArray z = Npy.read(latent);
    NpyArray t = Npy.read(truth);
    if (z.rows() != t.rows() || z.rowSize() != t.rowSize()) {
      throw new IllegalArgumentException(
          "latent "
              + java.util.Arrays.toString(z.shape())
              + " and truth "
              + java.util.Arrays.toString(t.shape())
              + " must have the same shape (T, d)");
    }
    if (plot != null && z.rowSize() != 2) {
      throw new IllegalArgumentException(
          "--plot draws 2-D latents; this one has d = " + z.rowSize());
    }
    LatentError.Result r =
        LatentError.compute(toDouble(z.data()), toDouble(t.data()), z.rows(), z.rowSize());
    System.out.printf(
        "latent error: strict %.6f  similarity %.6f  (fitted truth/latent scale %.6f)%n",
        r.strict(), r.similarity(), r.scale());
    if (plot != null) {
      io.macroscope.dynamics.plot.TrainingPlots.latentVsTruth(
          plot,
          z.data(),
          t.data(),
          z.rows(),
          String.format("latent vs truth: similarity error %.4f", r.similarity()));
      System.out.println("plot written to " + plot);
    }
    return 0;
  }

  private int evaluateClosure() throws IOException {
    var trajectories = io.macroscope.dynamics.particles.Trajectories.read(input);
    try (var forecaster =
        new io.macroscope.dynamics.bundle.ClosureForecaster(
            io.macroscope.dynamics.bundle.ModelBundle.read(model), 1)) {
      int members = forecaster.manifest().closure().stochastic() ? ensemble : 1;
      var scores =
          io.macroscope.dynamics.closure.ClosureMetrics.evaluate(
              trajectories, forecaster.macros(), members, seed, forecaster::forecast);
      System.out.printf(
          "%d trajectories, %d steps, %d rollouts each: MRE %.5f (sd %.5f)  MMD %.5f%n",
          scores.trajectories(),
          scores.steps(),
          scores.members(),
          scores.mre(),
          scores.mreSd(),
          scores.mmd());
    }
    return 0;
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
