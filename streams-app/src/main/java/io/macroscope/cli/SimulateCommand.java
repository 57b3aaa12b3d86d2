package io.macroscope.cli;

import io.macroscope.dynamics.data.Npy;
import io.macroscope.dynamics.sim.ThreeWellTrajectory;
import io.macroscope.dynamics.sim.Warp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope simulate ...}: seeded simulators that write training and test data. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Generates data from the project's seeded simulators.",
    subcommands = {SimulateCommand.ThreeWell.class})
final class SimulateCommand {

  /** {@code macroscope simulate three-well}. */
  @Command(
      name = "three-well",
      mixinStandardHelpOptions = true,
      description = {
        "Overdamped Langevin dynamics in the 2D three-well potential, observed through a warp.",
        "Writes OUT/observed.npy (T x 2, warped; the model input) and OUT/truth.npy (T x 2)."
      })
  static final class ThreeWell implements Callable<Integer> {

    @Option(
        names = "--frames",
        defaultValue = "200000",
        description = "Frames T (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
        names = "--warp",
        defaultValue = "parabolic",
        description =
            "Observation warp: parabolic (y' = y + x^2), swirl or none (default: ${DEFAULT-VALUE}).")
    String warp;

    @Option(
        names = "--kt",
        defaultValue = "1.0",
        description = "Temperature kT (default: ${DEFAULT-VALUE}).")
    double kT;

    @Option(
        names = "--dt",
        defaultValue = "0.001",
        description = "Integration step (default: ${DEFAULT-VALUE}).")
    double dt;

    @Option(
        names = "--stride",
        defaultValue = "10",
        description = "Integration steps per frame (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(
        names = "--seed",
        defaultValue = "0",
        description = "Noise seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
      if (frames < 2) {
        throw new IllegalArgumentException("--frames must be >= 2");
      }
      Warp w = Warp.parse(warp);
      ThreeWellTrajectory t = ThreeWellTrajectory.simulate(frames, kT, dt, stride, w, seed);
      Files.createDirectories(out);
      Npy.write(out.resolve("observed.npy"), new int[] {frames, 2}, t.observed());
      Npy.write(out.resolve("truth.npy"), new int[] {frames, 2}, t.truth());
      System.out.printf(
          "wrote %d frames (warp %s, %.4g time units apart) to %s/observed.npy and truth.npy%n",
          frames, w.name().toLowerCase(), dt * stride, out);
      return 0;
    }
  }
}
