package io.macroscope.dynamics.closure;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.macroscope.dynamics.nn.AdamTrainers;
import io.macroscope.dynamics.nn.MlpAverage;
import io.macroscope.dynamics.nn.MlpSpec;
import io.macroscope.dynamics.nn.ParameterSnapshot;
import io.macroscope.dynamics.particles.ParticleFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Trains a closure model on trajectories of microstates (sets of particles) with macro observables,
 * in two stages as in the paper: (1) the permutation-invariant autoencoder — a DeepSet encoder and
 * a conditional spline flow fitted to Monte-Carlo samples of each set's Gaussian kernel density (or
 * a baseline's objective); (2) the latent dynamics of s = (z, m) on frozen encodings, by the
 * Euler-Maruyama likelihood (SDE) or the squared one-step error (ODE). Each stage keeps the
 * parameters of its epoch with the lowest validation loss. Time unit: one recorded frame.
 */
public final class ClosureTrainer {

  private static final String ENGINE = "PyTorch";

  private final ClosureConfig config;
  private final Consumer<ClosureEpoch> listener;

  public ClosureTrainer(ClosureConfig config, Consumer<ClosureEpoch> listener) {
    this.config = config;
    this.listener = listener;
  }

  /**
   * Trains on {@code trajectories} (each a time-ordered list of microstates).
   *
   * @param macros names of the macro observables read from every frame (at least one)
   * @param columns extra per-particle columns used as features besides the positions
   * @throws IllegalArgumentException for unusable data (too few frames, missing macro values,
   *     varying particle counts for a baseline that needs a fixed count)
   * @throws IllegalStateException if a loss becomes NaN
   */
  public TrainedClosure fit(
      List<List<ParticleFrame>> trajectories, List<String> macros, List<String> columns) {
    Engine.getEngine(ENGINE).setRandomSeed((int) config.seed());
    Random random = new Random(config.seed());
    ClosureData data = split(trajectories, macros, columns, random);
    Block encoder = newEncoder(data);
    Model stage1 = Model.newInstance("closure-encoder", ENGINE);
    List<ClosureEpoch> history = new ArrayList<>();
    try {
      Block objective = newObjective(encoder, data);
      stage1.setBlock(objective);
      try (Trainer trainer = newTrainer(stage1, initShapes(data))) {
        if (config.method() == ClosureMethod.INVE) {
          trainJoint(trainer, data, history, random);
        } else {
          trainAutoencoder(trainer, data, history, random);
        }
      }
      if (config.method() == ClosureMethod.CLOSURE && config.jointEpochs() > 0) {
        fineTuneJointly(stage1, (Objectives.FlowReconstruction) objective, data, history, random);
      }
      return fitDynamics(data, stage1, encoder, null, history, random, true);
    } catch (RuntimeException e) {
      stage1.close();
      throw e;
    }
  }

  /**
   * Stage 2 alone, on the frozen encoder of {@code trained}: the same split of the same
   * trajectories (it must be the data {@code trained} was fitted on) and this trainer's dynamics
   * settings. The result shares the encoder; close it before {@code trained}. For comparing
   * dynamics settings on one autoencoder.
   */
  TrainedClosure refitDynamics(
      TrainedClosure trained,
      List<List<ParticleFrame>> trajectories,
      List<String> macros,
      List<String> columns) {
    return refitDynamics(trained, trajectories, macros, columns, config.seed());
  }

  /**
   * As {@link #refitDynamics(TrainedClosure, List, List, List)}, with the dynamics stage's
   * initialisation, batches and noise drawn from {@code dynamicsSeed} (the split still follows the
   * configured seed; given the configured seed itself, the stream simply goes on from the split, as
   * in {@link #fit}): how much of a rollout error is the luck of the dynamics fit.
   */
  TrainedClosure refitDynamics(
      TrainedClosure trained,
      List<List<ParticleFrame>> trajectories,
      List<String> macros,
      List<String> columns,
      long dynamicsSeed) {
    Engine.getEngine(ENGINE).setRandomSeed((int) config.seed());
    Random random = new Random(config.seed());
    ClosureData data = split(trajectories, macros, columns, random);
    if (dynamicsSeed != config.seed()) {
      Engine.getEngine(ENGINE).setRandomSeed((int) dynamicsSeed);
      random = new Random(dynamicsSeed);
    }
    return fitDynamics(
        data,
        trained.encoderModel(),
        trained.encoder(),
        trained.scaling(),
        new ArrayList<>(),
        random,
        false);
  }

  /** The seeded train/validation split, checked to hold whole dynamics windows. */
  private ClosureData split(
      List<List<ParticleFrame>> trajectories,
      List<String> macros,
      List<String> columns,
      Random random) {
    if (macros.isEmpty()) {
      throw new IllegalArgumentException("name at least one macro observable (--macro)");
    }
    List<List<ParticleFrame>> shuffled = new ArrayList<>(trajectories);
    Collections.shuffle(shuffled, random);
    int trainCount = Math.max(1, (int) Math.round(shuffled.size() * config.trainFraction()));
    List<List<ParticleFrame>> train = shuffled.subList(0, trainCount);
    List<List<ParticleFrame>> valid =
        trainCount < shuffled.size() ? shuffled.subList(trainCount, shuffled.size()) : train;
    int length = windowLength();
    // checked before any training: the dynamics stage needs whole windows from both splits
    if (train.stream().noneMatch(t -> t.size() >= length)
        || valid.stream().noneMatch(t -> t.size() >= length)) {
      throw new IllegalArgumentException(
          "trajectories are too short: the dynamics stage needs windows of "
              + length
              + " frames ("
              + (config.stochastic()
                  ? "--sde-steps " + config.sdeSteps()
                  : "--unroll " + config.unroll())
              + "); use longer trajectories or a smaller value");
    }
    return ClosureData.of(train, valid, macros, columns, config.center(), config.align());
  }

  /** Longest validation rollout the ODE's selection scores (steps). */
  static final int MAX_SELECTION_STEPS = 200;

  private int windowLength() {
    return (config.stochastic() ? config.sdeSteps() : config.unroll()) + 1;
  }

  /**
   * Stage 2: the drift (and diffusion) of s = (z, m) on the frozen encodings ({@code scaling} null:
   * fitted to them here). The ODE keeps the epoch whose rollouts over whole validation trajectories
   * (up to {@link #MAX_SELECTION_STEPS} steps from their first state) forecast the macro best, the
   * use it is trained for; the SDE keeps the epoch with the best validation likelihood. With {@code
   * dynamicsRestarts} > 1 the stage runs that many times on the same encodings (the random stream
   * moves on between runs) and the run with the best of those scores is kept, or with {@code
   * dynamicsAverage} their mean.
   */
  private TrainedClosure fitDynamics(
      ClosureData data,
      Model stage1,
      Block encoder,
      LatentScaling scaling,
      List<ClosureEpoch> history,
      Random random,
      boolean ownsEncoder) {
    float[] zTrain = encode(encoder, data.features(), data.trainFrames());
    float[] zValid = encode(encoder, data.features(), data.validFrames());
    if (scaling == null) {
      scaling = LatentScaling.fit(zTrain, config.latentDim(), data.macroMean(), data.macroScale());
    }
    int length = windowLength();
    int stateDim = config.latentDim() + data.macros().size();
    float[] trainWindows = data.windows(scaling, zTrain, true, length);
    float[] validWindows = data.windows(scaling, zValid, false, length);
    int runLength = Math.min(MAX_SELECTION_STEPS + 1, Math.max(length, data.shortestValid()));
    float[] runs = config.stochastic() ? null : data.windows(scaling, zValid, false, runLength);
    // a transition's score: ODE, whole validation rollouts; SDE, the windows' likelihood
    Function<Objectives.Transition, ToDoubleFunction<Trainer>> score =
        config.stochastic()
            ? transition -> windowLoss(validWindows, length, stateDim)
            : transition ->
                t -> rolloutError(t, transition, runs, runLength, stateDim, config.latentDim());
    List<DynamicsFit> fits = new ArrayList<>();
    DynamicsFit kept = null;
    try {
      for (int restart = 0; restart < config.dynamicsRestarts(); restart++) {
        fits.add(fitTransition(trainWindows, length, stateDim, score, history, random));
      }
      kept =
          config.dynamicsAverage()
              ? averageTransitions(fits, length, stateDim, score, history)
              : Collections.min(fits, Comparator.comparingDouble(DynamicsFit::score));
      return new TrainedClosure(
          config,
          data.features(),
          data.macros(),
          scaling,
          stage1,
          encoder,
          kept.model(),
          kept.transition(),
          history,
          ownsEncoder);
    } finally {
      for (DynamicsFit fit : fits) {
        if (fit != kept) {
          fit.model().close();
        }
      }
    }
  }

  /** One fitted transition model and the validation score of its kept epoch (lower is better). */
  private record DynamicsFit(Model model, Objectives.Transition transition, double score) {}

  /**
   * One fit of a fresh drift (and diffusion) on the state windows, its epoch chosen by {@code
   * score}; the caller closes the model.
   */
  private DynamicsFit fitTransition(
      float[] trainWindows,
      int length,
      int stateDim,
      Function<Objectives.Transition, ToDoubleFunction<Trainer>> score,
      List<ClosureEpoch> history,
      Random random) {
    Model model = newTransitionModel(dynamicsSpec(stateDim));
    try (Trainer trainer = newTrainer(model, new Shape(1, length, stateDim))) {
      Objectives.Transition transition = (Objectives.Transition) model.getBlock();
      double best =
          trainDynamics(
              trainer, trainWindows, length, stateDim, score.apply(transition), history, random);
      return new DynamicsFit(model, transition, best);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The mean of the fitted drifts (and log-diffusions) as one transition model ({@link
   * MlpAverage}), scored like a single fit; history gets one {@code average} record (loss: the
   * fits' mean score, validation: the average's).
   */
  private DynamicsFit averageTransitions(
      List<DynamicsFit> fits,
      int length,
      int stateDim,
      Function<Objectives.Transition, ToDoubleFunction<Trainer>> score,
      List<ClosureEpoch> history) {
    long start = System.nanoTime();
    MlpSpec spec = dynamicsSpec(stateDim);
    Model model = newTransitionModel(MlpAverage.widened(spec, fits.size()));
    // the trainer initialises the wide net; its parameters are then overwritten, never trained
    try (Trainer trainer = newTrainer(model, new Shape(1, length, stateDim))) {
      Objectives.Transition transition = (Objectives.Transition) model.getBlock();
      MlpAverage.assignMean(
          fits.stream().map(f -> f.transition().drift).toList(), spec, transition.drift);
      if (transition.diffusion != null) {
        MlpAverage.assignMean(
            fits.stream().map(f -> f.transition().diffusion).toList(), spec, transition.diffusion);
      }
      double averaged = score.apply(transition).applyAsDouble(trainer);
      double meanScore = fits.stream().mapToDouble(DynamicsFit::score).average().orElseThrow();
      ClosureEpoch e =
          new ClosureEpoch("average", 0, meanScore, averaged, (System.nanoTime() - start) / 1e9, 0);
      history.add(e);
      listener.accept(e);
      return new DynamicsFit(model, transition, averaged);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private MlpSpec dynamicsSpec(int stateDim) {
    return MlpSpec.uniform(stateDim, config.dynamicsHidden(), 2, stateDim, MlpSpec.Act.TANH);
  }

  /** A transition model with a drift (and, for an SDE, a log-diffusion) of shape {@code spec}. */
  private Model newTransitionModel(MlpSpec spec) {
    Model model = Model.newInstance("closure-dynamics", ENGINE);
    model.setBlock(new Objectives.Transition(spec, config.stochastic() ? spec : null));
    return model;
  }

  /**
   * Mean squared error of the macro components (state columns from {@code macroFrom}, normalised
   * units) along rollouts of the drift from the first state of each validation run.
   */
  private static double rolloutError(
      Trainer trainer,
      Objectives.Transition transition,
      float[] runs,
      int runLength,
      int stateDim,
      int macroFrom) {
    int count = runs.length / (runLength * stateDim);
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray w = scope.create(runs, new Shape(count, runLength, stateDim));
      return transition
          .rolloutError(new ai.djl.training.ParameterStore(scope, false), w, macroFrom, false)
          .getFloat();
    }
  }

  private Block newEncoder(ClosureData data) {
    SetFeatures f = data.features();
    int h = config.hidden();
    if (config.method() == ClosureMethod.AE_AUG) {
      int width = f.features() + (f.slots() > 1 ? f.slots() : 0);
      return new FlatSetEncoder(
          MlpSpec.uniform(
              data.fixedCount("AE-Aug") * width, h, 2, config.latentDim(), MlpSpec.Act.RELU),
          f.slots());
    }
    MlpSpec phi = MlpSpec.uniform(f.features(), h, 2, h, MlpSpec.Act.RELU);
    MlpSpec rho = MlpSpec.uniform(f.slots() * h, h, 1, config.latentDim(), MlpSpec.Act.RELU);
    return config.encoder() == ClosureConfig.Encoder.SET_TRANSFORMER
        ? new SetTransformerBlock(phi, rho, f.slots(), 4, 16)
        : new DeepSetBlock(phi, rho, f.slots());
  }

  private Block newObjective(Block encoder, ClosureData data) {
    SetFeatures f = data.features();
    int d = config.latentDim();
    return switch (config.method()) {
      case CLOSURE ->
          new Objectives.FlowReconstruction(
              encoder,
              new ConditionalSplineFlow(
                  f.features(),
                  d + (f.slots() > 1 ? f.slots() : 0),
                  config.flowLayers(),
                  config.flowBins(),
                  config.flowHidden(),
                  5f,
                  0.01f),
              f.slots());
      case AE_AUG, AE_INVE, AE_INVE_CD -> {
        int n = data.fixedCount(config.method().label());
        yield new Objectives.PointReconstruction(
            encoder,
            MlpSpec.uniform(d, config.hidden(), 2, n * f.features(), MlpSpec.Act.RELU),
            config.method() == ClosureMethod.AE_INVE_CD);
      }
      case INVE -> {
        int stateDim = d + data.macros().size();
        MlpSpec net = dynamicsSpec(stateDim);
        yield new Objectives.JointDynamics(
            encoder, new Objectives.Transition(net, config.stochastic() ? net : null));
      }
    };
  }

  private Shape[] initShapes(ClosureData data) {
    SetFeatures f = data.features();
    return new Shape[] {new Shape(1, 1, f.features()), new Shape(1, 1, f.slots())};
  }

  private Trainer newTrainer(Model model, Shape... shapes) {
    Trainer trainer = AdamTrainers.of(model, config.learningRate());
    trainer.initialize(shapes);
    return trainer;
  }

  /** Stage 1 for the autoencoders: reconstruction loss over minibatches of microstates. */
  private void trainAutoencoder(
      Trainer trainer, ClosureData data, List<ClosureEpoch> history, Random random) {
    List<ParticleFrame> frames = data.trainFrames();
    List<ParticleFrame> valid = data.validFrames();
    runStage(
        trainer,
        "autoencoder",
        config.autoencoderEpochs(),
        frames.size(),
        config.batchSets(),
        (scope, idx) -> reconstructionInputs(scope, data, pick(frames, idx), random),
        t -> {
          // fixed Monte-Carlo samples, so epochs are compared on equal terms
          Random fixed = new Random(config.seed() + 17);
          return validationLoss(
              t,
              valid.size(),
              config.batchSets(),
              (scope, idx) -> reconstructionInputs(scope, data, pick(valid, idx), fixed));
        },
        history,
        random);
  }

  /** Inputs of the stage-1 objective for one minibatch of microstates. */
  private NDList reconstructionInputs(
      NDManager scope, ClosureData data, List<ParticleFrame> frames, Random random) {
    SetFeatures f = data.features();
    if (config.method() == ClosureMethod.AE_AUG) {
      frames = frames.stream().map(frame -> permuted(frame, random)).toList();
    }
    SetBatch batch = f.pad(frames);
    NDList in = batch.arrays(scope);
    if (config.method() != ClosureMethod.CLOSURE) {
      in.add(in.head());
      return in;
    }
    int per = config.samplesPerSet();
    int m = batch.batch() * per;
    int width = batch.features();
    float[] y = new float[m * width];
    int[] set = new int[m];
    float[] hot = new float[m * batch.slots()];
    for (int b = 0; b < batch.batch(); b++) {
      for (int k = 0; k < per; k++) {
        int row = b * per + k;
        int j = random.nextInt(batch.counts()[b]);
        for (int c = 0; c < width; c++) {
          double noise = config.sigma() / f.scale()[c] * random.nextGaussian();
          y[row * width + c] = (float) (batch.x()[(b * batch.size() + j) * width + c] + noise);
        }
        set[row] = b;
        hot[row * batch.slots() + batch.slot(b, j)] = 1;
      }
    }
    in.add(scope.create(y, new Shape(m, width)));
    in.add(scope.create(set));
    in.add(scope.create(hot, new Shape(m, batch.slots())));
    return in;
  }

  /** InvE: encoder and dynamics together on consecutive pairs of microstates. */
  private void trainJoint(
      Trainer trainer, ClosureData data, List<ClosureEpoch> history, Random random) {
    List<ParticleFrame[]> pairs = data.framePairs(true);
    List<ParticleFrame[]> validPairs = data.framePairs(false);
    runStage(
        trainer,
        "joint",
        config.autoencoderEpochs(),
        pairs.size(),
        config.batchSets(),
        (scope, idx) -> jointInputs(scope, data, pick(pairs, idx)),
        t ->
            validationLoss(
                t,
                validPairs.size(),
                config.batchSets(),
                (scope, idx) -> jointInputs(scope, data, pick(validPairs, idx))),
        history,
        random);
  }

  /**
   * The joint fine-tune of the closure model ({@link ClosureConfig#jointEpochs()}): encoder and
   * flow go on learning from the reconstruction plus lambda times a one-step dynamics loss, through
   * a transition net that is dropped afterwards; the dynamics stage then fits the frozen result.
   * State components are measured in units of their typical one-step move on the autoencoder's
   * encodings. The kept epoch's parameters end in {@code stage1}'s manager, as the dynamics stage
   * expects.
   */
  private void fineTuneJointly(
      Model stage1,
      Objectives.FlowReconstruction reconstruction,
      ClosureData data,
      List<ClosureEpoch> history,
      Random random) {
    int d = config.latentDim();
    int dim = d + data.macros().size();
    float[] z = encode(reconstruction.encoder, data.features(), data.trainFrames());
    LatentScaling scaling = LatentScaling.fit(z, d, data.macroMean(), data.macroScale());
    float[] move = moveScale(data.windows(scaling, z, true, 2), dim);
    // s = (z - shift, m) times factor is the normalised state in units of its one-step moves
    float[] shift = new float[d];
    float[] factor = new float[dim];
    for (int k = 0; k < dim; k++) {
      factor[k] = 1 / move[k];
    }
    for (int k = 0; k < d; k++) {
      shift[k] = (float) scaling.latentMean()[k];
      factor[k] /= (float) scaling.latentScale()[k];
    }
    MlpSpec net = dynamicsSpec(dim);
    Objectives.JointReconstruction joint =
        new Objectives.JointReconstruction(
            reconstruction,
            new Objectives.Transition(net, config.stochastic() ? net : null),
            config.jointWeight());
    List<ParticleFrame[]> pairs = data.framePairs(true);
    List<ParticleFrame[]> validPairs = data.framePairs(false);
    try (Model model = Model.newInstance("closure-joint", ENGINE)) {
      model.setBlock(joint);
      try (Trainer trainer = newTrainer(model, initShapes(data))) {
        runStage(
            trainer,
            "joint",
            config.jointEpochs(),
            pairs.size(),
            config.batchSets(),
            (scope, idx) -> pairInputs(scope, data, pick(pairs, idx), shift, factor, random),
            t -> {
              Random fixed = new Random(config.seed() + 17);
              return validationLoss(
                  t,
                  validPairs.size(),
                  config.batchSets(),
                  (scope, idx) ->
                      pairInputs(scope, data, pick(validPairs, idx), shift, factor, fixed));
            },
            history,
            random);
      }
      // the kept parameters were restored into this model's manager, which closes now
      ParameterSnapshot.of(reconstruction).restore(reconstruction, stage1.getNDManager());
    }
  }

  /** Standard deviation of each state component's one-step move over (count, 2, D) windows. */
  private static float[] moveScale(float[] pairs, int dim) {
    int n = pairs.length / (2 * dim);
    float[] scale = new float[dim];
    for (int k = 0; k < dim; k++) {
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        double v = pairs[i * 2 * dim + dim + k] - pairs[i * 2 * dim + k];
        sum += v;
        sq += v * v;
      }
      double var = sq / n - (sum / n) * (sum / n);
      scale[k] = (float) (var > 1e-12 ? Math.sqrt(var) : 1);
    }
    return scale;
  }

  /**
   * Inputs of the joint fine-tune for consecutive pairs (see {@link
   * Objectives.JointReconstruction}).
   */
  private NDList pairInputs(
      NDManager scope,
      ClosureData data,
      List<ParticleFrame[]> pairs,
      float[] shift,
      float[] factor,
      Random random) {
    List<ParticleFrame> first = pairs.stream().map(p -> p[0]).toList();
    NDList in = reconstructionInputs(scope, data, first, random);
    addPairRest(in, scope, data, pairs);
    in.add(scope.create(shift, new Shape(1, shift.length)));
    in.add(scope.create(factor, new Shape(1, factor.length)));
    return in;
  }

  private NDList jointInputs(NDManager scope, ClosureData data, List<ParticleFrame[]> pairs) {
    NDList in = data.features().pad(pairs.stream().map(p -> p[0]).toList()).arrays(scope);
    addPairRest(in, scope, data, pairs);
    return in;
  }

  /**
   * Appends what follows the first microstates' inputs in both pair objectives: the second
   * microstates (x1, mask1) and the normalised macros of both (m0, m1).
   */
  private static void addPairRest(
      NDList in, NDManager scope, ClosureData data, List<ParticleFrame[]> pairs) {
    List<ParticleFrame> first = pairs.stream().map(p -> p[0]).toList();
    List<ParticleFrame> second = pairs.stream().map(p -> p[1]).toList();
    in.addAll(data.features().pad(second).arrays(scope));
    int q = data.macros().size();
    in.add(scope.create(data.macroRows(first), new Shape(pairs.size(), q)));
    in.add(scope.create(data.macroRows(second), new Shape(pairs.size(), q)));
  }

  /**
   * Stage 2: the transition model on frozen, normalised state windows (count, length, D), with the
   * stage loop's safeguards (skipped bad steps, best validation epoch kept); returns the best
   * validation loss.
   */
  double trainDynamics(
      Trainer trainer,
      float[] train,
      float[] valid,
      int length,
      int stateDim,
      List<ClosureEpoch> history,
      Random random) {
    return trainDynamics(
        trainer, train, length, stateDim, windowLoss(valid, length, stateDim), history, random);
  }

  /** The SDE's validation score: the mean loss over all validation windows. */
  private static ToDoubleFunction<Trainer> windowLoss(float[] valid, int length, int stateDim) {
    // >= 1: fit() checked that each split has a trajectory of a whole window
    int m = valid.length / (length * stateDim);
    return t ->
        validationLoss(t, m, m, (scope, idx) -> windows(scope, valid, idx, length, stateDim));
  }

  /** Stage 2 with the given validation score (lower is better). */
  private double trainDynamics(
      Trainer trainer,
      float[] train,
      int length,
      int stateDim,
      ToDoubleFunction<Trainer> validation,
      List<ClosureEpoch> history,
      Random random) {
    int n = train.length / (length * stateDim);
    return runStage(
        trainer,
        "dynamics",
        config.dynamicsEpochs(),
        n,
        config.dynamicsBatch(),
        (scope, idx) -> perturbed(windows(scope, train, idx, length, stateDim), stateDim, random),
        validation,
        history,
        random);
  }

  /**
   * ODE mode: the windows with Gaussian noise of {@code config.dynamicsNoise()} (normalised state
   * units) added to each window's initial state, the one the rollout starts from — the targets stay
   * clean. A regulariser: the drift must bring perturbed states back onto the observed paths
   * instead of memorising the few training trajectories' latent paths.
   */
  private NDList perturbed(NDList windows, int stateDim, Random random) {
    float noise = (float) config.dynamicsNoise();
    if (noise == 0 || config.stochastic()) {
      return windows;
    }
    NDArray w = windows.head();
    Shape shape = w.getShape(); // (batch, length, D)
    float[] values = w.toFloatArray();
    int row = (int) (shape.get(1) * stateDim);
    for (int i = 0; i < shape.get(0); i++) {
      for (int k = 0; k < stateDim; k++) {
        values[i * row + k] += (float) (noise * random.nextGaussian());
      }
    }
    return new NDList(w.getManager().create(values, shape));
  }

  /** The windows {@code idx} of row-major (count, length, D) windows, as one array. */
  private static NDList windows(NDManager scope, float[] all, int[] idx, int length, int stateDim) {
    int row = length * stateDim;
    float[] batch = new float[idx.length * row];
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(all, idx[i] * row, batch, i * row, row);
    }
    return new NDList(scope.create(batch, new Shape(idx.length, length, stateDim)));
  }

  /**
   * One training stage: per epoch a shuffled pass over {@code items} in minibatches (inputs built
   * by {@code inputs} from item indices), then the validation loss; the parameters of the epoch
   * with the lowest validation loss are kept. Steps with unusable gradients are skipped.
   */
  private double runStage(
      Trainer trainer,
      String stage,
      int epochs,
      int items,
      int batchSize,
      BiFunction<NDManager, int[], NDList> inputs,
      ToDoubleFunction<Trainer> validation,
      List<ClosureEpoch> history,
      Random random) {
    Block block = trainer.getModel().getBlock();
    ParameterSnapshot best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int epoch = 0; epoch < epochs; epoch++) {
      long start = System.nanoTime();
      int[] order = permutation(items, random);
      double sum = 0;
      int batches = 0;
      int skipped = 0;
      for (int from = 0; from < items; from += batchSize) {
        int[] idx = Arrays.copyOfRange(order, from, Math.min(items, from + batchSize));
        try (NDManager scope = trainer.getManager().newSubManager()) {
          NDList in = inputs.apply(scope, idx);
          boolean usable;
          try (GradientCollector gc = trainer.newGradientCollector()) {
            NDArray loss = trainer.forward(in).head();
            gc.backward(loss);
            sum += checked(loss.getFloat(), stage, epoch);
            usable = saneGradients(trainer);
          }
          if (usable) {
            trainer.step();
          } else {
            clearGradients(trainer);
            skipped++;
          }
        }
        batches++;
      }
      double loss = validation.applyAsDouble(trainer);
      ClosureEpoch e =
          new ClosureEpoch(
              stage, epoch, sum / batches, loss, (System.nanoTime() - start) / 1e9, skipped);
      history.add(e);
      listener.accept(e);
      if (loss < bestLoss) {
        bestLoss = loss;
        best = ParameterSnapshot.of(block);
      }
    }
    if (best != null) {
      best.restore(block, trainer.getModel().getNDManager());
    }
    return bestLoss;
  }

  /** Mean loss over the items' minibatches, in order, without training. */
  private static double validationLoss(
      Trainer trainer, int items, int batchSize, BiFunction<NDManager, int[], NDList> inputs) {
    double sum = 0;
    int batches = 0;
    for (int from = 0; from < items; from += batchSize) {
      int first = from;
      int[] idx = new int[Math.min(batchSize, items - from)];
      Arrays.setAll(idx, i -> first + i);
      try (NDManager scope = trainer.getManager().newSubManager()) {
        sum += trainer.evaluate(inputs.apply(scope, idx)).head().getFloat();
      }
      batches++;
    }
    return sum / Math.max(1, batches);
  }

  /** Latent states of frames (raw encoder output), row-major (n, d). */
  static float[] encode(Block encoder, SetFeatures features, List<ParticleFrame> frames) {
    int d = (int) encoder.getOutputShapes(new Shape[] {new Shape(1, 1, 1)})[0].get(1);
    float[] out = new float[frames.size() * d];
    try (NDManager manager = NDManager.newBaseManager(ENGINE)) {
      ai.djl.training.ParameterStore store = new ai.djl.training.ParameterStore(manager, false);
      for (int from = 0; from < frames.size(); from += 64) {
        List<ParticleFrame> part = frames.subList(from, Math.min(frames.size(), from + 64));
        try (NDManager scope = manager.newSubManager()) {
          NDArray z = encoder.forward(store, features.pad(part).arrays(scope), false).head();
          System.arraycopy(z.toFloatArray(), 0, out, from * d, part.size() * d);
        }
      }
    }
    return out;
  }

  /** Largest gradient element accepted (the normalised losses are O(1)). */
  private static final float MAX_GRADIENT = 1e4f;

  /**
   * Sets every gradient to zero in place. DJL clears gradients inside the optimizer step, so a
   * skipped step must do it itself, and NaN survives the usual subtract-itself trick.
   */
  static void clearGradients(Trainer trainer) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      for (var p : trainer.getModel().getBlock().getParameters()) {
        gradient(p.getValue().getArray(), scope).set(new ai.djl.ndarray.index.NDIndex(":"), 0f);
      }
    }
  }

  /**
   * The gradient of {@code parameter} as an array owned by {@code scope}. DJL hands out a new
   * handle on every call and files it, and whatever is computed from it, under the parameter's own
   * manager, which lives as long as the model: a per-step check would hold a copy of every gradient
   * for the rest of training. Closing the scope frees those; the parameter keeps its gradient.
   */
  private static NDArray gradient(NDArray parameter, NDManager scope) {
    NDArray g = parameter.getGradient();
    g.attach(scope);
    return g;
  }

  /**
   * Whether every gradient is finite and below {@link #MAX_GRADIENT}. A safety net: one step with
   * gradients of 1e24-1e36 or NaN (as the flow's backward pass gave while DJL freed scalar
   * constants that autograd still held, fixed by {@code nn.Scalars}) would overflow Adam's second
   * moments and freeze or poison the networks, so it is skipped (its gradients zeroed) and the
   * epoch reports how many were.
   */
  static boolean saneGradients(Trainer trainer) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      for (var p : trainer.getModel().getBlock().getParameters()) {
        float max = gradient(p.getValue().getArray(), scope).abs().max().getFloat();
        if (!(max <= MAX_GRADIENT)) {
          return false;
        }
      }
      return true;
    }
  }

  private static double checked(double loss, String stage, int epoch) {
    if (!Double.isFinite(loss)) {
      throw new IllegalStateException(
          stage
              + " loss became NaN in epoch "
              + epoch
              + ": lower the learning rate (--lr), raise --sigma, or check the input for NaN/Inf");
    }
    return loss;
  }

  private static ParticleFrame permuted(ParticleFrame frame, Random random) {
    return frame.reordered(permutation(frame.n(), random));
  }

  static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static <T> List<T> pick(List<T> items, int[] idx) {
    List<T> out = new ArrayList<>(idx.length);
    for (int i : idx) {
      out.add(items.get(i));
    }
    return out;
  }
}
