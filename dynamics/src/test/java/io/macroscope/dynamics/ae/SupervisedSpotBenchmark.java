package io.macroscope.dynamics.ae;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.macroscope.dynamics.metrics.LatentError;
import io.macroscope.dynamics.nn.AdamTrainers;
import io.macroscope.dynamics.sim.SpotVideo;
import io.macroscope.dynamics.sim.Warp;
import java.util.Arrays;
import java.util.Random;

/**
 * Benchmark (not a test): the ceiling of the video encoder. The reference conv encoder is fitted by
 * squared error to the true spot positions (times 10, the diffusion scale's order) of the same
 * movie {@link SpotVideoBenchmark} trains on, and scored with the same latent error on it and on a
 * held-out movie. If this reaches the target and Dynamics-AE does not, the gap lies in the
 * unsupervised objective, not in what the network can represent. With {@code decoder} as the fifth
 * argument the reference conv decoder is fitted instead, from the true positions (times 10) to the
 * frames, and its reconstruction error (sum of squares per frame, as in training) is reported: how
 * well the decoder could reconstruct from a perfect latent ({@code -Dbench.decoder=conv|splat},
 * {@code -Dbench.spots=K}; {@code -Dbench.zscale=1} feeds the positions on their own scale, as
 * small as a warm-up latent, instead of times 10).
 *
 * <p>Usage: {@code bench/run-java.sh io.macroscope.dynamics.ae.SupervisedSpotBenchmark 2
 * [frames=6000] [epochs=10] [seed=0] [lr=3e-4] [encoder|decoder]}
 */
public final class SupervisedSpotBenchmark {

  private static final int SIDE = 64;
  private static final int PIXELS = SIDE * SIDE;
  private static final int BATCH = 64;
  private static final int HELD_OUT = 2000;

  private SupervisedSpotBenchmark() {}

  public static void main(String[] args) {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 6000;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
    float lr = args.length > 3 ? Float.parseFloat(args[3]) : 3e-4f;
    boolean decoder = args.length > 4 && args[4].equals("decoder");
    SpotVideo video = SpotVideo.simulate(frames, SIDE, Warp.NONE, 2.0, 400, 10, 10, seed);
    SpotVideo test = SpotVideo.simulate(HELD_OUT, SIDE, Warp.NONE, 2.0, 400, 10, 10, seed + 100);
    float[] mean = new float[PIXELS];
    float[] scale = new float[PIXELS];
    float[] x =
        Batching.scale(
            DynamicsAeConfig.Scaling.UNIT_RANGE, video.frames(), frames, PIXELS, mean, scale);
    float[] heldOut = test.frames().clone();
    for (int i = 0; i < heldOut.length; i++) {
      heldOut[i] = (heldOut[i] - mean[i % PIXELS]) / scale[i % PIXELS];
    }
    float[] positions = new float[2 * frames];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = (float) (10 * video.truth()[i]);
    }
    float[] heldPositions = new float[2 * HELD_OUT];
    for (int i = 0; i < heldPositions.length; i++) {
      heldPositions[i] = (float) (10 * test.truth()[i]);
    }
    // The decoder from positions on the unit scale (-Dbench.zscale): a warm-up latent is small.
    double zscale = Double.parseDouble(System.getProperty("bench.zscale", "10"));
    for (int i = 0; i < positions.length; i++) {
      positions[i] *= (float) (zscale / 10);
    }
    for (int i = 0; i < heldPositions.length; i++) {
      heldPositions[i] *= (float) (zscale / 10);
    }
    if (decoder) {
      fitDecoder(x, positions, heldOut, heldPositions, frames, epochs, seed, lr);
      return;
    }
    float[] target = positions;
    Random random = new Random(seed);
    try (Model model = Model.newInstance("supervised-spot", "PyTorch");
        NDManager data = NDManager.newBaseManager("PyTorch")) {
      model.getNDManager().getEngine().setRandomSeed((int) seed);
      model.setBlock(ConvNets.encoder(1, SIDE, SIDE, 256, 2));
      try (Trainer trainer = AdamTrainers.of(model, lr)) {
        trainer.initialize(new Shape(BATCH, PIXELS));
        NDArray xs = data.create(x, new Shape(frames, PIXELS));
        NDArray ys = data.create(target, new Shape(frames, 2));
        for (int epoch = 0; epoch < epochs; epoch++) {
          long start = System.nanoTime();
          int[] order = Batching.permutation(frames, random);
          double sum = 0;
          int batches = 0;
          for (int s = 0; s + BATCH <= frames; s += BATCH) {
            try (NDManager scope = data.newSubManager()) {
              NDArray rows = scope.create(Arrays.copyOfRange(order, s, s + BATCH));
              NDArray xb = xs.get(rows);
              NDArray yb = ys.get(rows);
              xb.attach(scope);
              yb.attach(scope);
              try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray out = trainer.forward(new NDList(xb)).singletonOrThrow();
                NDArray loss = out.sub(yb).square().sum(new int[] {1}).mean();
                collector.backward(loss);
                sum += loss.getFloat();
                batches++;
              }
              trainer.step();
            }
          }
          LatentError.Result train = score(trainer, data, x, frames, video.truth());
          LatentError.Result held = score(trainer, data, heldOut, HELD_OUT, test.truth());
          System.out.printf(
              "epoch %d  loss %.4f  similarity error %.4f (strict %.4f)  held-out %.4f  %.1f s%n",
              epoch,
              sum / batches,
              train.similarity(),
              train.strict(),
              held.similarity(),
              (System.nanoTime() - start) / 1e9);
        }
      }
    }
  }

  private static void fitDecoder(
      float[] x,
      float[] positions,
      float[] heldOut,
      float[] heldPositions,
      int frames,
      int epochs,
      long seed,
      float lr) {
    Random random = new Random(seed);
    try (Model model = Model.newInstance("supervised-spot-decoder", "PyTorch");
        NDManager data = NDManager.newBaseManager("PyTorch")) {
      model.getNDManager().getEngine().setRandomSeed((int) seed);
      String kind = System.getProperty("bench.decoder", "conv");
      model.setBlock(
          kind.equals("conv")
              ? ConvNets.decoder(1, SIDE, SIDE, 256, 2)
              : new SplatDecoder(
                  1,
                  SIDE,
                  SIDE,
                  Integer.getInteger("bench.units", 256),
                  Integer.getInteger("bench.spots", 4)));
      try (Trainer trainer = AdamTrainers.of(model, lr)) {
        trainer.initialize(new Shape(BATCH, 2));
        NDArray xs = data.create(x, new Shape(frames, PIXELS));
        NDArray zs = data.create(positions, new Shape(frames, 2));
        NDArray xh = data.create(heldOut, new Shape(HELD_OUT, PIXELS));
        NDArray zh = data.create(heldPositions, new Shape(HELD_OUT, 2));
        for (int epoch = 0; epoch < epochs; epoch++) {
          long start = System.nanoTime();
          int[] order = Batching.permutation(frames, random);
          double sum = 0;
          int batches = 0;
          for (int s = 0; s + BATCH <= frames; s += BATCH) {
            try (NDManager scope = data.newSubManager()) {
              NDArray rows = scope.create(Arrays.copyOfRange(order, s, s + BATCH));
              NDArray xb = xs.get(rows);
              NDArray zb = zs.get(rows);
              xb.attach(scope);
              zb.attach(scope);
              try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray out = trainer.forward(new NDList(zb)).singletonOrThrow();
                NDArray loss = out.sub(xb).square().sum(new int[] {1}).mean();
                collector.backward(loss);
                sum += loss.getFloat();
                batches++;
              }
              trainer.step();
            }
          }
          double held = 0;
          for (int s = 0; s < HELD_OUT; s += 250) {
            try (NDManager scope = data.newSubManager()) {
              NDArray zb = zh.get(s + ":" + (s + 250));
              NDArray xb = xh.get(s + ":" + (s + 250));
              zb.attach(scope);
              xb.attach(scope);
              held +=
                  trainer
                      .evaluate(new NDList(zb))
                      .singletonOrThrow()
                      .sub(xb)
                      .square()
                      .sum()
                      .getFloat();
            }
          }
          System.out.printf(
              "epoch %d  reconstruction %.4f  held-out %.4f  %.1f s%n",
              epoch, sum / batches, held / HELD_OUT, (System.nanoTime() - start) / 1e9);
        }
      }
    }
  }

  private static LatentError.Result score(
      Trainer trainer, NDManager data, float[] x, int n, double[] truth) {
    float[] z = new float[2 * n];
    for (int s = 0; s < n; s += 256) {
      int c = Math.min(256, n - s);
      try (NDManager scope = data.newSubManager()) {
        float[] part = Arrays.copyOfRange(x, s * PIXELS, (s + c) * PIXELS);
        NDArray out =
            trainer
                .evaluate(new NDList(scope.create(part, new Shape(c, PIXELS))))
                .singletonOrThrow();
        System.arraycopy(out.toFloatArray(), 0, z, 2 * s, 2 * c);
      }
    }
    return LatentError.compute(z, truth, n, 2);
  }
}
