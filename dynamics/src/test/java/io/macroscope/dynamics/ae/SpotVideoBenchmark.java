package io.macroscope.dynamics.ae;

import io.macroscope.dynamics.metrics.LatentError;
import io.macroscope.dynamics.plot.TrainingPlots;
import io.macroscope.dynamics.sim.SpotVideo;
import io.macroscope.dynamics.sim.Warp;

/**
 * Benchmark (not a test): Dynamics-AE with the reference convolutional encoder on the simulated
 * 64x64 fluorescence movie; the latent should be the spot's position. Run with {@code
 * bench/dynamics-ae-video.sh [frames] [epochs] [seed] [hidden]} with the image schedule ({@link
 * DynamicsAeConfig#imageBuilder()}: splat decoder, 3 warm-up epochs), or the reference schedule
 * with {@code JAVA_OPTS=-Dbench.schedule=reference}. {@code -Dbench.spots=0} (the reference
 * convolutional decoder) and {@code -Dbench.warmup=N} override the image schedule's choices.
 */
public final class SpotVideoBenchmark {

  private SpotVideoBenchmark() {}

  public static void main(String[] args) throws java.io.IOException {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
    int hidden = args.length > 3 ? Integer.parseInt(args[3]) : 256;
    SpotVideo video = SpotVideo.simulate(frames, 64, Warp.NONE, 2.0, 400, 10, 10, seed);
    // The image schedule (the CLI's default for frames), or the reference one on unit-range input.
    boolean reference = "reference".equals(System.getProperty("bench.schedule", "image"));
    DynamicsAeConfig config =
        (reference
                ? DynamicsAeConfig.builder().optScaling(DynamicsAeConfig.Scaling.UNIT_RANGE)
                : DynamicsAeConfig.imageBuilder())
            .setLatentDim(2)
            .optHidden(hidden, 3)
            .optEpochs(epochs)
            .optSeed(seed)
            .optSpots(Integer.getInteger("bench.spots", reference ? 0 : 1))
            .optWarmupEpochs(
                Integer.getInteger(
                    "bench.warmup",
                    reference
                        ? 1
                        : Math.max(1, Math.min(DynamicsAeConfig.IMAGE_WARMUP_EPOCHS, epochs - 1))))
            .build();
    System.out.printf(
        "spot video: %d frames 64x64, %d epochs (%d warm-up), n=%d, batch %d, warm-up lr %g, lr %g,"
            + " rescale %b, decoder %s%n",
        frames,
        epochs,
        config.warmupEpochs(),
        hidden,
        config.batchSize(),
        config.warmupLearningRate(),
        config.learningRate(),
        config.rescaleAfterWarmup(),
        config.spots() == 0 ? "conv" : "splat, " + config.spots() + " spot(s)");
    long start = System.nanoTime();
    try (TrainedAutoencoder model =
        new DynamicsAeTrainer(
                config,
                e ->
                    System.out.printf(
                        "  epoch %2d rec %.4f sw %.4f valid rec %.4f bins %d %.1f s%n",
                        e.epoch(),
                        e.reconstruction(),
                        e.slicedWasserstein(),
                        e.validationReconstruction(),
                        e.bins(),
                        e.seconds()))
            .fitImages(video.frames(), frames, 1, 64, 64)) {
      double seconds = (System.nanoTime() - start) / 1e9;
      LatentError.Result r =
          LatentError.compute(model.encode(video.frames(), frames), video.truth(), frames, 2);
      System.out.printf(
          "Dynamics-AE: training %.1f s, similarity error %.4f, strict %.4f%n",
          seconds, r.similarity(), r.strict());
      String png = System.getProperty("bench.png", "dynamics/target/spot-video-latent.png");
      float[] truth = new float[2 * frames];
      for (int i = 0; i < truth.length; i++) {
        truth[i] = (float) video.truth()[i];
      }
      TrainingPlots.latentVsTruth(
          java.nio.file.Path.of(png),
          model.encode(video.frames(), frames),
          truth,
          frames,
          String.format("spot video: similarity error %.4f", r.similarity()));
      System.out.println("truth and latent coloured by the true position: " + png);
    }
  }
}
