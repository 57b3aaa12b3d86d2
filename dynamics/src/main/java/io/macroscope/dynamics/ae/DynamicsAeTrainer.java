package io.macroscope.dynamics.ae;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import io.macroscope.dynamics.nn.AdamTrainers;
import io.macroscope.dynamics.nn.ParameterSnapshot;
import io.macroscope.dynamics.nn.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a dynamics-constrained autoencoder (Dynamics-AE) on one ordered trajectory, following the
 * paper and its public reference implementation:
 *
 * <ol>
 *   <li>consecutive pairs (X_t, X_t+1), split 80/20 at random;
 *   <li>every step, first the encoder/decoder on reconstruction + beta * SW(encoded moves, prior
 *       moves) with the prior's samples detached, then the prior's force field on the Gaussian NLL
 *       of the encoded moves with z detached;
 *   <li>warm-up (epoch 0 in the reference; {@code warmupEpochs}): beta/100, the warm-up learning
 *       rate, plain shuffled batches; optionally the latent is then put on the diffusion scale in
 *       one function-preserving step ({@code rescaleAfterWarmup}); later epochs: beta, the learning
 *       rate, and batches from well-tempered latent bins (regular-space clustering with d_min,
 *       recomputed every epoch), each batch from one bin;
 *   <li>training stops with an actionable error when a loss becomes NaN;
 *   <li>after every epoch the training objective (reconstruction + beta * binned SW) is measured on
 *       the validation pairs, and by default the networks of the best epoch are kept; an epoch that
 *       ends more than {@value #SPIKE_FACTOR} times worse than the best (a loss spike) is rolled
 *       back to the best epoch with a fresh optimizer.
 * </ol>
 */
public final class DynamicsAeTrainer {

  private static final String ENGINE = "PyTorch";

  /** An epoch whose validation objective exceeds this multiple of the best one is a spike. */
  static final double SPIKE_FACTOR = 3;

  /** Bounds of the latent rescale factor after the warm-up. */
  static final double MIN_RESCALE = 1e-3;

  static final double MAX_RESCALE = 1e3;

  /**
   * Weight of the penalty (mean log M)^2 that holds the geometric mean of a coupled
   * position-dependent diffusion at 1 (there nothing else fixes the latent scale; in the position
   * form the unit-diffusion SW target does, and M fits the moves freely). The mean is a running one
   * over the last ~100 batches: batches come from one latent bin each, and a per-batch mean would
   * pin every bin, not the whole.
   */
  static final double DIFFUSION_PIN = 5;

  private static final double PIN_DECAY = 0.99;

  private final DynamicsAeConfig config;
  private final Consumer<EpochStats> listener;

  /**
   * @param listener called after every epoch (progress reporting); may be a no-op
   */
  public DynamicsAeTrainer(DynamicsAeConfig config, Consumer<EpochStats> listener) {
    this.config = config;
    this.listener = listener;
  }

  /**
   * Trains on {@code frames} consecutive inputs of {@code features} values each (row-major).
   *
   * @throws IllegalArgumentException if there are too few frames for one batch
   * @throws IllegalStateException if training diverges (NaN) or the binning is unusable
   */
  public TrainedAutoencoder fit(float[] inputs, int frames, int features) {
    return fit(inputs, frames, features, null);
  }

  /**
   * Trains on image frames of shape (channels, 64, 64) with the reference convolutional networks
   * ({@code hidden} of the config is their n).
   */
  public TrainedAutoencoder fitImages(
      float[] inputs, int frames, int channels, int height, int width) {
    return fit(inputs, frames, channels * height * width, new int[] {channels, height, width});
  }

  private TrainedAutoencoder fit(float[] inputs, int frames, int features, int[] image) {
    if (inputs.length != (long) frames * features) {
      throw new IllegalArgumentException("inputs must hold frames * features values");
    }
    int pairs = frames - 1;
    int trainPairs = (int) Math.round(pairs * config.trainFraction());
    if (trainPairs < config.batchSize() || pairs - trainPairs < 1) {
      throw new IllegalArgumentException(
          "need more than "
              + (int) Math.ceil(config.batchSize() / config.trainFraction())
              + " frames for batch size "
              + config.batchSize()
              + ", got "
              + frames);
    }
    Engine engine = Engine.getEngine(ENGINE);
    engine.setRandomSeed((int) config.seed());
    Random random = new Random(config.seed());

    float[] mean = new float[features];
    float[] scale = new float[features];
    float[] normalized = Batching.scale(config.scaling(), inputs, frames, features, mean, scale);
    int[] order = Batching.permutation(pairs, random);
    int[] trainIdx = java.util.Arrays.copyOfRange(order, 0, trainPairs);
    int[] validIdx = java.util.Arrays.copyOfRange(order, trainPairs, pairs);

    // The encoder/decoder warm up at a low rate in epoch 0 and then get a fresh Adam at the full
    // rate: moments estimated while SW weighed beta/100 would make the first full-beta steps huge.
    // The prior learns at the full rate throughout (as in the reference implementation).
    Tracker priorRate = Tracker.fixed(config.learningRate());

    Model aeModel = Model.newInstance("dynamics-ae", ENGINE);
    Model priorModel = Model.newInstance("dynamics-ae-prior", ENGINE);
    aeModel.setBlock(
        image == null
            ? new AutoencoderBlock(
                Networks.encoder(config, features, config.latentDim()).newBlock(),
                Networks.decoder(config, features).newBlock())
            : new AutoencoderBlock(
                ConvNets.encoder(image[0], image[1], image[2], config.hidden(), config.latentDim()),
                imageDecoder(image)));
    priorModel.setBlock(LangevinPrior.newBlock(config));
    List<EpochStats> history = new ArrayList<>();
    double[] runningLogM = new double[1]; // position-dependent diffusion: running mean of log M
    Checkpoint best = null;
    Trainer ae =
        newTrainer(
            aeModel,
            Tracker.fixed(config.warmupLearningRate()),
            new Shape(config.batchSize(), features));
    Trainer prior =
        newTrainer(priorModel, priorRate, new Shape(config.batchSize(), config.latentDim()));
    try (NDManager data = aeModel.getNDManager().newSubManager()) {
      NDArray x = data.create(normalized, new Shape(frames, features));
      for (int epoch = 0; epoch < config.epochs(); epoch++) {
        long start = System.nanoTime();
        List<int[]> batches;
        int bins = 0;
        RegularSpaceClustering.Result clusters = null;
        boolean warmup = epoch < config.warmupEpochs();
        if (warmup) {
          batches = Batching.shuffledBatches(trainIdx, config.batchSize(), random);
        } else {
          if (epoch == config.warmupEpochs()) {
            if (config.rescaleAfterWarmup()) {
              rescaleToDiffusion((AutoencoderBlock) aeModel.getBlock(), ae, x, trainIdx);
              prior.close();
              prior = AdamTrainers.of(priorModel, priorRate);
            }
            ae.close();
            ae = AdamTrainers.of(aeModel, config.learningRate());
          }
          // Regular-space clustering visits points in random order (as the reference does), so
          // the centres do not follow the trajectory's time order.
          int[] visit = trainIdx.clone();
          Batching.shuffle(visit, random);
          float[] z = encodeRows(ae, x, visit);
          clusters =
              RegularSpaceClustering.cluster(z, visit.length, config.latentDim(), config.dMin());
          bins = clusters.k();
          List<int[]> local =
              WellTemperedBatches.plan(
                  clusters.labels(), clusters.counts(), config.batchSize(), config.gamma(), random);
          batches = new ArrayList<>(local.size());
          for (int[] b : local) {
            int[] mapped = new int[b.length];
            for (int i = 0; i < b.length; i++) {
              mapped[i] = visit[b[i]];
            }
            batches.add(mapped);
          }
        }
        double beta = warmup ? config.beta() / 100 : config.beta();
        double[] sums = new double[3];
        for (int[] batch : batches) {
          double[] losses = step(ae, prior, x, batch, beta, runningLogM);
          for (int i = 0; i < 3; i++) {
            sums[i] += losses[i];
          }
          if (!Double.isFinite(losses[0] + losses[1] + losses[2])) {
            throw new IllegalStateException(
                "loss became NaN in epoch "
                    + epoch
                    + ": lower the learning rate (--lr) or beta (--beta), or check the input for"
                    + " NaN/Inf values");
          }
        }
        Validation valid = validate(ae, prior, x, validIdx, clusters);
        double objective = 2 * valid.reconstruction() + beta * valid.slicedWasserstein();
        EpochStats stats =
            new EpochStats(
                epoch,
                sums[0] / batches.size(),
                sums[1] / batches.size(),
                nll(sums[2] / batches.size()),
                valid.reconstruction(),
                nll(valid.residual()),
                valid.slicedWasserstein(),
                objective,
                bins,
                (System.nanoTime() - start) / 1e9,
                -1);
        if (config.keepBest() && best != null && !(objective <= SPIKE_FACTOR * best.score)) {
          // A loss spike (measured in 4 of 12 reference runs) leaves the networks far from where
          // they were and Adam's moments poisoned: go back to the best epoch, fresh optimizer.
          best.restore(aeModel, priorModel);
          ae.close();
          ae = AdamTrainers.of(aeModel, config.learningRate());
          prior.close();
          prior = AdamTrainers.of(priorModel, priorRate);
          stats = stats.rolledBackTo(best.epoch);
        }
        history.add(stats);
        listener.accept(stats);
        if (config.keepBest()
            && objective < (best == null ? Double.POSITIVE_INFINITY : best.score)) {
          best = Checkpoint.of(aeModel, priorModel, epoch, objective);
        }
      }
      if (best != null) {
        best.restore(aeModel, priorModel);
      }
      LatentRescale.fold((AutoencoderBlock) aeModel.getBlock());
    } catch (RuntimeException e) {
      aeModel.close();
      priorModel.close();
      throw e;
    } finally {
      ae.close();
      prior.close();
    }
    return new TrainedAutoencoder(
        TrainedAutoencoder.Method.DYNAMICS_AE,
        aeModel,
        priorModel,
        mean,
        scale,
        config,
        history,
        image,
        best == null ? config.epochs() - 1 : best.epoch);
  }

  private Block imageDecoder(int[] image) {
    return config.spots() == 0
        ? ConvNets.decoder(image[0], image[1], image[2], config.hidden(), config.latentDim())
        : new SplatDecoder(image[0], image[1], image[2], config.hidden(), config.spots());
  }

  /**
   * Sets the block's latent gain (function-preserving, see {@link LatentRescale}) so that the
   * encoded training moves have the mean square of a prior move without drift, 2 d D.
   */
  private void rescaleToDiffusion(AutoencoderBlock block, Trainer ae, NDArray x, int[] pairs) {
    // Every frame once (pairs share frames), then the moves of the training pairs.
    int d = config.latentDim();
    float[] z = encodeRows(ae, x, java.util.stream.IntStream.range(0, (int) x.size(0)).toArray());
    double sum = 0;
    for (int t : pairs) {
      for (int c = 0; c < d; c++) {
        double m = z[(t + 1) * d + c] - z[t * d + c];
        sum += m * m;
      }
    }
    double meanSquare = sum / pairs.length;
    double target = 2 * d * DynamicsAeConfig.DIFFUSION;
    if (meanSquare > 0 && Double.isFinite(meanSquare)) {
      // Bounded: a warm-up latent that has all but collapsed is not blown up to huge weights.
      double c = Math.sqrt(target / meanSquare);
      block.setLatentGain(block.latentGain() * Math.max(MIN_RESCALE, Math.min(MAX_RESCALE, c)));
    }
  }

  /** Parameters of both networks at one epoch. */
  private record Checkpoint(
      ParameterSnapshot autoencoder, ParameterSnapshot prior, int epoch, double score) {
    static Checkpoint of(Model ae, Model prior, int epoch, double score) {
      return new Checkpoint(
          ParameterSnapshot.of(ae.getBlock()),
          ParameterSnapshot.of(prior.getBlock()),
          epoch,
          score);
    }

    void restore(Model ae, Model priorModel) {
      autoencoder.restore(ae.getBlock(), ae.getNDManager());
      prior.restore(priorModel.getBlock(), priorModel.getNDManager());
    }
  }

  private Trainer newTrainer(Model model, Tracker lr, Shape inputShape) {
    Trainer trainer = AdamTrainers.of(model, lr);
    trainer.initialize(inputShape);
    return trainer;
  }

  /**
   * One alternating step; returns {reconstruction, SW, prior NLL without its constant}.
   *
   * @param runningLogM running mean of log M over recent batches (position-dependent diffusion),
   *     updated here
   */
  private double[] step(
      Trainer ae, Trainer prior, NDArray x, int[] batch, double beta, double[] runningLogM) {
    try (NDManager scope = x.getManager().newSubManager()) {
      NDArray[] pair = gatherPair(scope, x, batch);
      NDArray both = pair[0].concat(pair[1], 0);
      int n = batch.length;
      double rec;
      double sw;
      NDArray z0;
      NDArray moves;
      try (GradientCollector collector = ae.newGradientCollector()) {
        NDList out = ae.forward(new NDList(both));
        NDArray z = out.get(0);
        NDArray reconstruction = out.get(1);
        NDArray recLoss =
            Scalars.mul(reconstruction.sub(both).square().sum(new int[] {1}).mean(), 2);
        z0 = z.get(new NDIndex("0:{}", n));
        moves = z.get(new NDIndex("{}:", n)).sub(z0);
        LangevinPrior.Moves target =
            LangevinPrior.moves(
                    in -> prior.forward(new NDList(in)).singletonOrThrow(),
                    z0.stopGradient(),
                    config)
                .encoderTarget(config);
        NDArray samples =
            target.sample(scope.randomNormal(target.mean().getShape())).stopGradient();
        NDArray theta =
            SlicedWasserstein.directions(scope, config.latentDim(), config.projections());
        NDArray swLoss = SlicedWasserstein.distance(moves, samples, theta);
        collector.backward(recLoss.add(Scalars.mul(swLoss, beta)));
        rec = recLoss.getFloat() / 2;
        sw = swLoss.getFloat();
      }
      ae.step();
      double priorLoss;
      try (GradientCollector collector = prior.newGradientCollector()) {
        NDArray zIn = z0.stopGradient();
        NDArray observed = moves.stopGradient();
        LangevinPrior.Moves model =
            LangevinPrior.moves(
                in -> prior.forward(new NDList(in)).singletonOrThrow(), zIn, config);
        NDArray loss = LangevinPrior.nll(observed, model);
        priorLoss = loss.getFloat();
        if (config.diffusion() == DynamicsAeConfig.Diffusion.COUPLED) {
          NDArray meanLogM = model.logM().mean();
          runningLogM[0] = PIN_DECAY * runningLogM[0] + (1 - PIN_DECAY) * meanLogM.getFloat();
          // gradient of DIFFUSION_PIN * (running mean)^2 through this batch's share of it
          loss = loss.add(Scalars.mul(meanLogM, 2 * DIFFUSION_PIN * runningLogM[0]));
        }
        collector.backward(loss);
      }
      prior.step();
      return new double[] {rec, sw, priorLoss};
    }
  }

  /** Full Gaussian NLL per move from the mean residual term. */
  private double nll(double residualTerm) {
    return residualTerm
        + 0.5 * config.latentDim() * Math.log(4 * Math.PI * DynamicsAeConfig.DIFFUSION);
  }

  /**
   * Validation metrics.
   *
   * @param reconstruction mean squared reconstruction error per frame
   * @param residual mean move residual term of the prior NLL
   * @param slicedWasserstein SW between encoded and prior moves within the latent bins (NaN without
   *     bins)
   */
  private record Validation(double reconstruction, double residual, double slicedWasserstein) {}

  private Validation validate(
      Trainer ae, Trainer prior, NDArray x, int[] pairs, RegularSpaceClustering.Result bins) {
    int d = config.latentDim();
    double rec = 0;
    double residual = 0;
    float[] z0 = new float[pairs.length * d];
    float[] moves = new float[pairs.length * d];
    float[] drift = new float[pairs.length * d];
    float[] sigma = new float[pairs.length * d];
    int chunk = Batching.inferenceChunk(x.getShape().get(1));
    for (int start = 0; start < pairs.length; start += chunk) {
      int[] part =
          java.util.Arrays.copyOfRange(pairs, start, Math.min(pairs.length, start + chunk));
      try (NDManager scope = x.getManager().newSubManager()) {
        NDArray[] pair = gatherPair(scope, x, part);
        NDArray both = pair[0].concat(pair[1], 0);
        NDList out = ae.evaluate(new NDList(both));
        rec += out.get(1).sub(both).square().sum().getFloat();
        NDArray z = out.get(0).get(new NDIndex("0:{}", part.length));
        NDArray move = out.get(0).get(new NDIndex("{}:", part.length)).sub(z);
        LangevinPrior.Moves model =
            LangevinPrior.moves(in -> prior.evaluate(new NDList(in)).singletonOrThrow(), z, config);
        residual += LangevinPrior.nll(move, model).getFloat() * part.length;
        System.arraycopy(z.toFloatArray(), 0, z0, start * d, part.length * d);
        System.arraycopy(move.toFloatArray(), 0, moves, start * d, part.length * d);
        System.arraycopy(model.mean().toFloatArray(), 0, drift, start * d, part.length * d);
        System.arraycopy(
            model.encoderTarget(config).stdValues(part.length, d),
            0,
            sigma,
            start * d,
            part.length * d);
      }
    }
    double sw = bins == null ? Double.NaN : binnedSw(z0, moves, drift, sigma, pairs.length, bins);
    return new Validation(rec / (2.0 * pairs.length), residual / pairs.length, sw);
  }

  /**
   * SW between encoded and prior moves within each of the epoch's latent bins (validation pairs
   * assigned to the nearest centre), bins weighted well-tempered (count^(1/gamma)) as in training.
   * Each bin is compared whole rather than in batch-sized chunks: the finite-sample floor of SW on
   * 256 points (~0.1 here) would drown the differences between epochs. Directions and prior noise
   * come from a fixed seed so epochs are compared on equal terms.
   */
  private double binnedSw(
      float[] z0,
      float[] moves,
      float[] drift,
      float[] sigma,
      int n,
      RegularSpaceClustering.Result bins) {
    int d = config.latentDim();
    int[] label = RegularSpaceClustering.assign(bins, z0, n);
    int[] counts = new int[bins.k()];
    for (int l : label) {
      counts[l]++;
    }
    Random random = new Random(config.seed() + 0x5eed);
    double[][] theta = SlicedWasserstein.directions(random, d, config.projections());
    double weighted = 0;
    double weights = 0;
    for (int k = 0; k < bins.k(); k++) {
      if (counts[k] < 2) {
        continue;
      }
      float[] a = new float[counts[k] * d];
      float[] b = new float[counts[k] * d];
      int row = 0;
      for (int i = 0; i < n; i++) {
        if (label[i] != k) {
          continue;
        }
        for (int c = 0; c < d; c++) {
          a[row * d + c] = moves[i * d + c];
          b[row * d + c] = (float) (drift[i * d + c] + sigma[i * d + c] * random.nextGaussian());
        }
        row++;
      }
      double w = Math.pow(counts[k], 1 / config.gamma());
      weighted += w * SlicedWasserstein.distance(a, b, counts[k], d, theta);
      weights += w;
    }
    return weights == 0 ? Double.NaN : weighted / weights;
  }

  private float[] encodeRows(Trainer ae, NDArray x, int[] rows) {
    float[] out = new float[rows.length * config.latentDim()];
    int chunk = Batching.inferenceChunk(x.getShape().get(1));
    for (int start = 0; start < rows.length; start += chunk) {
      int end = Math.min(rows.length, start + chunk);
      try (NDManager scope = x.getManager().newSubManager()) {
        NDArray idx = scope.create(java.util.Arrays.copyOfRange(rows, start, end));
        NDArray part = x.get(new NDIndex("{}", idx));
        // Results of ops attach to their input's manager: move the slice into the scope, or every
        // activation of this full-data pass would stay attached to the data array's manager.
        part.attach(scope);
        float[] z = ae.evaluate(new NDList(part)).get(0).toFloatArray();
        System.arraycopy(z, 0, out, start * config.latentDim(), z.length);
      }
    }
    return out;
  }

  private static NDArray[] gatherPair(NDManager scope, NDArray x, int[] batch) {
    int[] next = new int[batch.length];
    for (int i = 0; i < batch.length; i++) {
      next[i] = batch[i] + 1;
    }
    NDArray a = x.get(new NDIndex("{}", scope.create(batch)));
    NDArray b = x.get(new NDIndex("{}", scope.create(next)));
    a.attach(scope);
    b.attach(scope);
    return new NDArray[] {a, b};
  }
}
