package io.macroscope.demo;

import io.macroscope.dynamics.ae.DynamicsAeConfig;
import io.macroscope.dynamics.ae.DynamicsAeTrainer;
import io.macroscope.dynamics.ae.TrainedAutoencoder;
import io.macroscope.dynamics.bundle.BundleArchive;
import io.macroscope.dynamics.bundle.ClosureBundles;
import io.macroscope.dynamics.bundle.Manifest;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.closure.ClosureConfig;
import io.macroscope.dynamics.closure.ClosureTrainer;
import io.macroscope.dynamics.closure.TrainedClosure;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.SpotVideo;
import io.macroscope.dynamics.sim.StepForceParticles;
import io.macroscope.dynamics.sim.Warp;
import io.macroscope.schemas.ModelMethod;
import io.macroscope.schemas.ModelRelease;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's models, trained at start-up on the same simulators that feed it, with a small budget
 * (seconds, not the benchmark's minutes): a convolutional Dynamics-AE for the microscope and a
 * closure model for the particle simulation. Each becomes a release carried inline.
 */
final class DemoModels {

  /** How much training the demo affords. */
  enum Budget {
    /** For tests: a few seconds per model. */
    QUICK(200, 1, 4, 16, 20, 1, 3),
    /** For people: better latents, under a minute per model on 2 cores. */
    DEMO(1000, 3, 12, 20, 40, 4, 40);

    final int videoFrames;
    final int videoEpochs;
    final int trajectories;
    final int particles;
    final int trajectoryFrames;
    final int autoencoderEpochs;
    final int dynamicsEpochs;

    Budget(
        int videoFrames,
        int videoEpochs,
        int trajectories,
        int particles,
        int trajectoryFrames,
        int autoencoderEpochs,
        int dynamicsEpochs) {
      this.videoFrames = videoFrames;
      this.videoEpochs = videoEpochs;
      this.trajectories = trajectories;
      this.particles = particles;
      this.trajectoryFrames = trajectoryFrames;
      this.autoencoderEpochs = autoencoderEpochs;
      this.dynamicsEpochs = dynamicsEpochs;
    }
  }

  /** A trained model's release and manifest (for the demo's alert rules). */
  record Trained(ModelRelease release, Manifest manifest) {}

  private DemoModels() {}

  /** Trains the microscope's Dynamics-AE on a simulated video like the live feed's. */
  static Trained microscope(Budget budget, Path dir, long seed, PrintStream out) {
    long start = System.nanoTime();
    SpotVideo video =
        SpotVideo.simulate(
            budget.videoFrames,
            MicroscopeFeed.SIZE,
            Warp.NONE,
            MicroscopeFeed.PSF_SIGMA,
            MicroscopeFeed.PEAK_PHOTONS,
            MicroscopeFeed.BACKGROUND_PHOTONS,
            MicroscopeFeed.STEPS_PER_FRAME,
            seed + 100);
    DynamicsAeConfig config =
        DynamicsAeConfig.builder()
            .setLatentDim(2)
            .optEpochs(budget.videoEpochs)
            .optBatchSize(64)
            .optScaling(DynamicsAeConfig.Scaling.UNIT_RANGE)
            .optSpots(1)
            .optSeed(seed)
            .build();
    Path bundle = dir.resolve("microscope-v1");
    try (TrainedAutoencoder model =
        new DynamicsAeTrainer(config, e -> out.printf("  microscope  %s%n", shortLine(e.line())))
            .fitImages(video.frames(), video.count(), 1, video.size(), video.size())) {
      ModelBundle.write(bundle, model, "v1", Map.of(), video.frames());
    }
    out.printf(
        "  microscope  Dynamics-AE on %d frames of 64x64: %.1f s%n",
        budget.videoFrames, (System.nanoTime() - start) / 1e9);
    return release("microscope", ModelMethod.DYNAMICS_AE, bundle);
  }

  /** Trains the particle closure model on step-force simulations like the live feed's. */
  static Trained particles(Budget budget, Path dir, long seed, PrintStream out) {
    long start = System.nanoTime();
    StepForceParticles sim = StepForceParticles.defaults();
    List<List<ParticleFrame>> trajectories = new ArrayList<>();
    for (int i = 0; i < budget.trajectories; i++) {
      trajectories.add(
          sim.simulate(budget.particles, budget.trajectoryFrames, 2 + i % 2, seed * 1000 + i));
    }
    ClosureConfig config =
        ClosureConfig.builder()
            .optLatentDim(2)
            .optAutoencoderEpochs(budget.autoencoderEpochs)
            .optDynamicsEpochs(budget.dynamicsEpochs)
            .optSamplesPerSet(64)
            // isotropic pair forces in free space: only the shape matters, not place or orientation
            .optAlign(true)
            .optSeed(seed)
            .build();
    Path bundle = dir.resolve("particles-v1");
    try (TrainedClosure model =
        new ClosureTrainer(config, e -> {})
            .fit(trajectories, List.of(StepForceParticles.ENERGY), List.of())) {
      ClosureBundles.write(bundle, model, "v1", Map.of(), 1.0, trajectories.get(0));
    }
    out.printf(
        "  particles   closure model on %d trajectories of %d particles: %.1f s%n",
        budget.trajectories, budget.particles, (System.nanoTime() - start) / 1e9);
    return release("particles", ModelMethod.CLOSURE, bundle);
  }

  /**
   * A release of {@code bundle}: zipped into the local model store beside it and announced by URI
   * (a convolutional bundle is bigger than Kafka's default 1 MB message limit).
   */
  private static Trained release(String line, ModelMethod method, Path bundle) {
    byte[] zip = BundleArchive.zip(bundle);
    Path archive = bundle.resolveSibling(bundle.getFileName() + ".zip");
    try {
      Files.write(archive, zip);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + archive, e);
    }
    return new Trained(
        ModelRelease.newBuilder()
            .setModelName(line)
            .setVersion("v1")
            .setMethod(method)
            .setBundleUri(archive.toAbsolutePath().toUri().toString())
            .setSha256(BundleArchive.sha256(zip))
            .setSizeBytes(zip.length)
            .setCreatedAt(Instant.now())
            .setLineage(Map.of("trainer", "demo start-up", "bundle", bundle.toString()))
            .build(),
        ModelBundle.read(bundle).manifest());
  }

  private static String shortLine(String s) {
    return s.length() > 140 ? s.substring(0, 140) + " ..." : s;
  }
}
