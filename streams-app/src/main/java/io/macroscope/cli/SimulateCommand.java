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
    subcommands = {SimulateCommand.ThreeWell.class, SimulateCommand.BlobVideo.class})
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

  /** {@code macroscope simulate blob-video}. */
  @Command(
      name = "blob-video",
      mixinStandardHelpOptions = true,
      description = {
        "A fluorescent spot diffusing in the three-well potential, rendered as a microscope sees",
        "it: Gaussian PSF, background, Poisson shot noise, optional optical distortion.",
        "Writes OUT/frames.npy (T x S x S photon counts) and OUT/truth.npy (T x 2 true positions)."
      })
  static final class BlobVideo implements Callable<Integer> {

    @Option(
        names = "--frames",
        defaultValue = "20000",
        description = "Frames T (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
        names = "--size",
        defaultValue = "64",
        description = "Frame side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
        names = "--distortion",
        defaultValue = "none",
        description = "Optical distortion: none, parabolic or swirl (default: ${DEFAULT-VALUE}).")
    String distortion;

    @Option(
        names = "--psf",
        defaultValue = "2.0",
        description = "PSF sigma in pixels (default: ${DEFAULT-VALUE}).")
    double psf;

    @Option(
        names = "--photons",
        defaultValue = "400",
        description = "Peak photons (default: ${DEFAULT-VALUE}).")
    double photons;

    @Option(
        names = "--background",
        defaultValue = "10",
        description = "Background photons/pixel (default: ${DEFAULT-VALUE}).")
    double background;

    @Option(
        names = "--stride",
        defaultValue = "10",
        description = "Integration steps per frame (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
      if (frames < 2 || size < 8) {
        throw new IllegalArgumentException("need --frames >= 2 and --size >= 8");
      }
      io.macroscope.dynamics.sim.SpotVideo video =
          io.macroscope.dynamics.sim.SpotVideo.simulate(
              frames, size, Warp.parse(distortion), psf, photons, background, stride, seed);
      Files.createDirectories(out);
      Npy.write(out.resolve("frames.npy"), new int[] {frames, size, size}, video.frames());
      Npy.write(out.resolve("truth.npy"), new int[] {frames, 2}, video.truth());
      System.out.printf(
          "wrote %d frames of %dx%d to %s/frames.npy and truth.npy%n", frames, size, size, out);
      return 0;
    }
  }
}
