package io.macroscope.dynamics.closure;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.macroscope.dynamics.particles.ParticleFrame;
import java.util.List;

/**
 * A trained closure model (or baseline): the set encoder, the state normalisation and the latent
 * SDE/ODE. Forecasts encode only the first microstate and roll the dynamics forward. Closing it
 * frees the networks.
 */
public final class TrainedClosure implements AutoCloseable {

  private final ClosureConfig config;
  private final SetFeatures features;
  private final List<String> macros;
  private final LatentScaling scaling;
  private final Model encoderModel;
  private final Block encoder;
  private final Model dynamicsModel;
  private final Objectives.Transition transition;
  private final List<ClosureEpoch> history;
  private final boolean ownsEncoder;

  TrainedClosure(
      ClosureConfig config,
      SetFeatures features,
      List<String> macros,
      LatentScaling scaling,
      Model encoderModel,
      Block encoder,
      Model dynamicsModel,
      Objectives.Transition transition,
      List<ClosureEpoch> history,
      boolean ownsEncoder) {
    this.config = config;
    this.features = features;
    this.macros = List.copyOf(macros);
    this.scaling = scaling;
    this.encoderModel = encoderModel;
    this.encoder = encoder;
    this.dynamicsModel = dynamicsModel;
    this.transition = transition;
    this.history = List.copyOf(history);
    this.ownsEncoder = ownsEncoder;
  }

  Model encoderModel() {
    return encoderModel;
  }

  public ClosureConfig config() {
    return config;
  }

  public SetFeatures features() {
    return features;
  }

  public List<String> macros() {
    return macros;
  }

  public LatentScaling scaling() {
    return scaling;
  }

  public List<ClosureEpoch> history() {
    return history;
  }

  /** The set encoder (inputs x (B, N, F), mask (B, N, S); output z (B, d)). */
  public Block encoder() {
    return encoder;
  }

  /** The spline-flow decoder q(y | z), for the closure method (absent for baselines). */
  public java.util.Optional<Block> decoder() {
    return encoderModel.getBlock() instanceof Objectives.FlowReconstruction fr
        ? java.util.Optional.of(fr.flow)
        : java.util.Optional.empty();
  }

  /** The drift network mu(s) of the normalised state. */
  public Block drift() {
    return transition.drift;
  }

  /**
   * The shape of the drift (and diffusion) network: the configured width, or K times it when K fits
   * were averaged ({@link ClosureConfig#dynamicsAverage}).
   */
  public io.macroscope.dynamics.nn.MlpSpec dynamicsSpec() {
    return transition.spec;
  }

  /** The log-diffusion network log sigma(s), absent in ODE mode. */
  public java.util.Optional<Block> diffusion() {
    return java.util.Optional.ofNullable(transition.diffusion);
  }

  /** Raw latent rows (n x d) of microstates. */
  public float[] encode(List<ParticleFrame> frames) {
    return ClosureTrainer.encode(encoder, features, frames);
  }

  /**
   * An ensemble forecast from one microstate: encode it, pair z with its macro values, and roll the
   * dynamics {@code horizon} steps (Euler-Maruyama with the learned diffusion; the ODE is
   * deterministic, so its members coincide).
   *
   * @return macro values [member][step 0..horizon][macro]; step 0 is the initial state's
   */
  public double[][][] rollout(ParticleFrame initial, int horizon, int ensemble, long seed) {
    double[] m0 = new double[macros.size()];
    for (int k = 0; k < m0.length; k++) {
      m0[k] = initial.macro(macros.get(k));
    }
    float[] s0 = scaling.state(encode(List.of(initial)), 0, m0);
    int dim = s0.length;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      ParameterStore store = new ParameterStore(manager, false);
      return Rollouts.run(
          s0,
          m0,
          horizon,
          ensemble,
          seed,
          scaling,
          states -> apply(manager, store, transition.drift, states, dim),
          transition.diffusion == null
              ? null
              : states -> apply(manager, store, transition.diffusion, states, dim));
    }
  }

  private static float[] apply(
      NDManager manager, ParameterStore store, Block net, float[] states, int dim) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray s = scope.create(states, new Shape(states.length / dim, dim));
      return net.forward(store, new NDList(s), false).head().toFloatArray();
    }
  }

  @Override
  public void close() {
    if (ownsEncoder) {
      encoderModel.close();
    }
    dynamicsModel.close();
  }
}
