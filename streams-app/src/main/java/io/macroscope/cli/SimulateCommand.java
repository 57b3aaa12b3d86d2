package io.macroscope.cli;

import io.macroscope.dynamics.data.Npy;
import io.macroscope.dynamics.sim.Mobility2D;
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
    subcommands = {
      SimulateCommand.ThreeWell.class,
      SimulateCommand.BlobVideo.class,
      SimulateCommand.Particles.class,
      SimulateCommand.LjMix.class
    })
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

    @Option(
        names = "--mobility",
        defaultValue = "0",
        paramLabel = "A",
        description =
            "Position-dependent mobility m(x) = exp(A tanh(x / 0.5)) on both axes (Itô form, same"
                + " Boltzmann density); 0 = constant (default: ${DEFAULT-VALUE}).")
    double mobility;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
      if (frames < 2) {
        throw new IllegalArgumentException("--frames must be >= 2");
      }
      Warp w = Warp.parse(warp);
      ThreeWellTrajectory t =
          ThreeWellTrajectory.simulate(
              frames,
              kT,
              dt,
              stride,
              w,
              mobility == 0 ? null : Mobility2D.tanhAlongX(mobility, 0.5),
              seed);
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
        "A fluorescent spot diffusing in the three-well potential, rendered as a microscope sees "
            + "it: Gaussian PSF, background, Poisson shot noise, optional optical distortion.",
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

  /** Options shared by the particle simulators: how many trajectories, seeds, threads, where. */
  static final class TrajectorySet {
    @Option(
        names = "--trajectories",
        defaultValue = "100",
        description = "Trajectories (default: ${DEFAULT-VALUE}).")
    int trajectories;

    @Option(
        names = "--seed",
        defaultValue = "0",
        description = "Seed; trajectory i uses seed * 1000003 + i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--threads",
        description = "Trajectories simulated in parallel (default: all cores).")
    Integer threads;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    /** Seed of trajectory i. */
    long seed(int i) {
      return seed * 1_000_003L + i;
    }

    /** Simulates and writes every trajectory, then says where they went. */
    void write(
        java.util.function.IntFunction<
                java.util.List<io.macroscope.dynamics.particles.ParticleFrame>>
            simulate)
        throws IOException {
      writeTrajectories(
          out,
          trajectories,
          threads != null ? threads : Runtime.getRuntime().availableProcessors(),
          simulate);
      System.out.printf("%d trajectories written to %s%n", trajectories, out);
    }
  }

  /** Writes {@code count} trajectories in parallel as OUT/traj-NNNNN.xyz, reporting progress. */
  static void writeTrajectories(
      Path out,
      int count,
      int threads,
      java.util.function.IntFunction<java.util.List<io.macroscope.dynamics.particles.ParticleFrame>>
          simulate)
      throws IOException {
    if (count < 1) {
      throw new IllegalArgumentException("--trajectories must be >= 1");
    }
    Files.createDirectories(out);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, threads));
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    try {
      java.util.List<java.util.concurrent.Future<?>> jobs = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        jobs.add(
            pool.submit(
                () -> {
                  io.macroscope.dynamics.particles.ExtendedXyz.write(
                      out.resolve(String.format("traj-%05d.xyz", index)), simulate.apply(index));
                  int n = done.incrementAndGet();
                  if (n % Math.max(1, count / 10) == 0 || n == count) {
                    System.out.printf("%d/%d trajectories%n", n, count);
                  }
                  return null;
                }));
      }
      for (java.util.concurrent.Future<?> job : jobs) {
        job.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code macroscope simulate particles}. */
  @Command(
      name = "particles",
      mixinStandardHelpOptions = true,
      description = {
        "2D particles under the step-force law F(r) = tanh(a (1 - r)) + b (Kolokolnikov "
            + "et al.), forward Euler, started from a random Gaussian mixture. Deterministic "
            + "given the seed.",
        "Writes OUT/traj-NNNNN.xyz (extended XYZ) with energy=<pair energy per pair> and time= "
            + "in every comment line."
      })
  static final class Particles implements Callable<Integer> {
    @picocli.CommandLine.Mixin TrajectorySet set;

    @Option(
        names = "--particles",
        defaultValue = "300",
        description = "Particles N (default: ${DEFAULT-VALUE}).")
    int particles;

    @Option(
        names = "--frames",
        defaultValue = "301",
        description =
            "Frames per trajectory, the initial state included (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
        names = "--components",
        defaultValue = "2",
        description =
            "Gaussian-mixture components of the initial positions (default: ${DEFAULT-VALUE}).")
    int components;

    @Option(
        names = "--a",
        defaultValue = "10",
        description = "Step steepness a (default: ${DEFAULT-VALUE}).")
    double a;

    @Option(
        names = "--b",
        defaultValue = "0.5",
        description = "Attraction offset b (default: ${DEFAULT-VALUE}).")
    double b;

    @Option(
        names = "--dt",
        defaultValue = "0.01",
        description = "Euler step (default: ${DEFAULT-VALUE}).")
    double dt;

    @Option(
        names = "--stride",
        defaultValue = "1",
        description = "Euler steps per frame (default: ${DEFAULT-VALUE}).")
    int stride;

    @Override
    public Integer call() throws IOException {
      io.macroscope.dynamics.sim.StepForceParticles sim =
          new io.macroscope.dynamics.sim.StepForceParticles(a, b, dt, stride);
      set.write(i -> sim.simulate(particles, frames, components, set.seed(i)));
      return 0;
    }
  }

  /** {@code macroscope simulate lj-mix}. */
  @Command(
      name = "lj-mix",
      mixinStandardHelpOptions = true,
      description = {
        "2D binary Lennard-Jones mixture (A/B) in a box with reflective walls, Brownian "
            + "thermostat; A starts left of a random vertical boundary. Stochastic. Writes "
            + "OUT/traj-NNNNN.xyz with species A/B and mixing=, mix_ab=, mix_ba= (neighbour "
            + "statistics) and time= in every comment line."
      })
  static final class LjMix implements Callable<Integer> {
    @picocli.CommandLine.Mixin TrajectorySet set;

    @Option(
        names = "--width",
        defaultValue = "10",
        description = "Box width (default: ${DEFAULT-VALUE}).")
    double width;

    @Option(
        names = "--height",
        defaultValue = "10",
        description = "Box height (default: ${DEFAULT-VALUE}).")
    double height;

    @Option(
        names = "--density",
        defaultValue = "0.6",
        description = "Particles per unit area (default: ${DEFAULT-VALUE}).")
    double density;

    @Option(
        names = "--kt",
        defaultValue = "1.5",
        description = "Temperature (default: ${DEFAULT-VALUE}).")
    double kT;

    @Option(
        names = "--dt",
        defaultValue = "0.001",
        description = "Integration step (default: ${DEFAULT-VALUE}).")
    double dt;

    @Option(
        names = "--stride",
        defaultValue = "100",
        description = "Steps per frame (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(
        names = "--frames",
        defaultValue = "101",
        description =
            "Frames per trajectory, the initial state included (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
        names = "--boundary",
        defaultValue = "0.3:0.7",
        description =
            "Range of the A/B boundary as a fraction of the width, LO:HI (default: ${DEFAULT-VALUE}).")
    String boundary;

    @Override
    public Integer call() throws IOException {
      String[] range = boundary.split(":");
      double lo;
      double hi;
      try {
        lo = Double.parseDouble(range[0]);
        hi = Double.parseDouble(range.length > 1 ? range[1] : range[0]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--boundary must be LO:HI, got '" + boundary + "'");
      }
      if (!(lo > 0 && hi < 1 && lo <= hi)) {
        throw new IllegalArgumentException("--boundary needs 0 < LO <= HI < 1, got " + boundary);
      }
      io.macroscope.dynamics.sim.BinaryLennardJones sim =
          new io.macroscope.dynamics.sim.BinaryLennardJones(
              width, height, density, kT, dt, stride, 1.5);
      set.write(
          i -> {
            long s = set.seed(i);
            double u = new java.util.Random(s ^ 0x9e3779b97f4a7c15L).nextDouble();
            return sim.simulate(frames, lo + (hi - lo) * u, s);
          });
      return 0;
    }
  }
}
