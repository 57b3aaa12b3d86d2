package io.macroscope.dynamics.ae;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.macroscope.dynamics.nn.AdamTrainers;
import io.macroscope.dynamics.nn.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The beta-VAE baseline on the same architectures, split and batches as Dynamics-AE: the encoder
 * outputs (mean, log-variance), the loss is reconstruction + beta * KL(q(z|x) || N(0, I)), and the
 * latent is the mean. It sees single frames; the dynamics play no part.
 */
public final class BetaVaeTrainer {

  private static final String ENGINE = "PyTorch";

  private final DynamicsAeConfig config;
  private final double beta;
  private final Consumer<EpochStats> listener;

  /**
   * @param config architecture, batch, epochs, learning rate, split and seed (the Dynamics-AE
   *     specific fields are ignored)
   * @param beta weight of the KL term
   */
  public BetaVaeTrainer(DynamicsAeConfig config, double beta, Consumer<EpochStats> listener) {
    this.config = config;
    this.beta = beta;
    this.listener = listener;
  }

  /** Trains on {@code frames} inputs of {@code features} values each (row-major). */
  public TrainedAutoencoder fit(float[] inputs, int frames, int features) {
    Engine.getEngine(ENGINE).setRandomSeed((int) config.seed());
    Random random = new Random(config.seed());
    float[] mean = new float[features];
    float[] scale = new float[features];
    float[] normalized = Batching.scale(config.scaling(), inputs, frames, features, mean, scale);
    int[] order = Batching.permutation(frames, random);
    int train = (int) Math.round(frames * config.trainFraction());
    int[] trainIdx = Arrays.copyOfRange(order, 0, train);
    int[] validIdx = Arrays.copyOfRange(order, train, frames);
    int d = config.latentDim();

    Model model = Model.newInstance("beta-vae", ENGINE);
    model.setBlock(
        new AutoencoderBlock(
            Networks.encoder(config, features, 2 * d).newBlock(),
            new SamplingDecoder(d, Networks.decoder(config, features).newBlock())));
    List<EpochStats> history = new ArrayList<>();
    try (Trainer trainer = AdamTrainers.of(model, config.learningRate());
        NDManager data = model.getNDManager().newSubManager()) {
      trainer.initialize(new Shape(config.batchSize(), features));
      NDArray x = data.create(normalized, new Shape(frames, features));
      for (int epoch = 0; epoch < config.epochs(); epoch++) {
        long start = System.nanoTime();
        List<int[]> batches = Batching.shuffledBatches(trainIdx, config.batchSize(), random);
        double rec = 0;
        double kl = 0;
        for (int[] batch : batches) {
          try (NDManager scope = data.newSubManager()) {
            NDArray xb = x.get(new NDIndex("{}", scope.create(batch)));
            xb.attach(scope);
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDList out = trainer.forward(new NDList(xb));
              NDArray[] terms = losses(out, xb);
              collector.backward(terms[0].add(Scalars.mul(terms[1], beta)));
              rec += terms[0].getFloat();
              kl += terms[1].getFloat();
            }
            trainer.step();
          }
          if (!Double.isFinite(rec + kl)) {
            throw new IllegalStateException(
                "beta-VAE loss became NaN in epoch " + epoch + ": lower the learning rate (--lr)");
          }
        }
        double validRec = 0;
        try (NDManager scope = data.newSubManager()) {
          NDArray xv = x.get(new NDIndex("{}", scope.create(validIdx)));
          xv.attach(scope);
          validRec = losses(trainer.evaluate(new NDList(xv)), xv)[0].getFloat();
        }
        EpochStats stats =
            new EpochStats(
                epoch,
                rec / batches.size(),
                kl / batches.size(),
                Double.NaN,
                validRec,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                0,
                (System.nanoTime() - start) / 1e9,
                -1);
        history.add(stats);
        listener.accept(stats);
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new TrainedAutoencoder(
        TrainedAutoencoder.Method.BETA_VAE,
        model,
        null,
        mean,
        scale,
        config,
        history,
        null,
        config.epochs() - 1);
  }

  /** {reconstruction (mean squared norm per frame), KL per frame} from [stats, reconstruction]. */
  private NDArray[] losses(NDList out, NDArray x) {
    int d = config.latentDim();
    NDArray stats = out.get(0);
    NDArray mu = stats.get(new NDIndex(":, 0:{}", d));
    NDArray logVar = stats.get(new NDIndex(":, {}:", d));
    NDArray rec = out.get(1).sub(x).square().sum(new int[] {1}).mean();
    NDArray kl =
        Scalars.mul(
            mu.square().add(logVar.exp()).sub(logVar).sub(1).sum(new int[] {1}).mean(), 0.5);
    return new NDArray[] {rec, kl};
  }
}
