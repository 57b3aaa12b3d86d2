package io.macroscope.dynamics.ae;

import io.macroscope.dynamics.metrics.LatentError;
import io.macroscope.dynamics.sim.ThreeWellTrajectory;
import io.macroscope.dynamics.sim.Warp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark (not a test): Dynamics-AE and the beta-VAE on a warped three-well trajectory with the
 * reference configuration. Prints per-epoch progress, wall time, peak resident memory and the
 * latent errors. Run it with {@code bench/dynamics-ae-three-well.sh [frames] [epochs] [seed]}.
 */
public final class ThreeWellBenchmark {

  private ThreeWellBenchmark() {}

  public static void main(String[] args) throws IOException {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
    boolean withVae = args.length <= 3 || Boolean.parseBoolean(args[3]);
    ThreeWellTrajectory t =
        ThreeWellTrajectory.simulate(frames, 1.0, 1e-3, 10, Warp.PARABOLIC, 11 + seed);
    float[] observed = t.observedFloats();
    System.out.printf(
        "warped three-well: %d frames, %d epochs, seed %d, threads=%s%n",
        frames, epochs, seed, System.getProperty("ai.djl.pytorch.num_threads", "default"));
    System.out.printf(
        "warped input: similarity error %.4f%n",
        LatentError.compute(t.observed(), t.truth(), frames, 2).similarity());
    DynamicsAeConfig config =
        DynamicsAeConfig.builder().setLatentDim(2).optEpochs(epochs).optSeed(seed).build();
    run("Dynamics-AE", new DynamicsAeTrainer(config, ThreeWellBenchmark::progress), observed, t);
    if (withVae) {
      run("beta-VAE", new BetaVaeTrainer(config, 1.0, ThreeWellBenchmark::progress), observed, t);
    }
    System.out.printf("peak resident memory: %s%n", peakRss());
  }

  private interface Fit {
    TrainedAutoencoder fit(float[] inputs, int frames, int features);
  }

  private static void run(String name, Object trainer, float[] observed, ThreeWellTrajectory t) {
    Fit fit = trainer instanceof DynamicsAeTrainer d ? d::fit : ((BetaVaeTrainer) trainer)::fit;
    long start = System.nanoTime();
    try (TrainedAutoencoder model = fit.fit(observed, t.frames(), 2)) {
      double seconds = (System.nanoTime() - start) / 1e9;
      LatentError.Result error =
          LatentError.compute(model.encode(observed, t.frames()), t.truth(), t.frames(), 2);
      System.out.printf(
          "%s: training %.1f s, similarity error %.4f, strict %.4f, scale %.4f, kept epoch %d%n",
          name, seconds, error.similarity(), error.strict(), error.scale(), model.keptEpoch());
    }
  }

  private static void progress(EpochStats e) {
    System.out.printf("  epoch %2d  %s%n", e.epoch(), e.line());
  }

  private static String peakRss() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmHWM"))
        .map(l -> l.replaceAll("\\s+", " ").substring(6).trim())
        .findFirst()
        .orElse("unknown");
  }
}
