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
import java.util.Random;

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

  TrainedClosure(
      ClosureConfig config,
      SetFeatures features,
      List<String> macros,
      LatentScaling scaling,
      Model encoderModel,
      Block encoder,
      Model dynamicsModel,
      Objectives.Transition transition,
      List<ClosureEpoch> history) {
    this.config = config;
    this.features = features;
    this.macros = List.copyOf(macros);
    this.scaling = scaling;
    this.encoderModel = encoderModel;
    this.encoder = encoder;
    this.dynamicsModel = dynamicsModel;
    this.transition = transition;
    this.history = List.copyOf(history);
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

  /** The drift network mu(s) of the normalised state. */
  public Block drift() {
    return transition.drift;
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
    if (horizon < 0 || ensemble < 1) {
      throw new IllegalArgumentException("need horizon >= 0 and ensemble >= 1");
    }
    double[] m0 = new double[macros.size()];
    for (int k = 0; k < m0.length; k++) {
      m0[k] = initial.macro(macros.get(k));
    }
    float[] s0 = scaling.state(encode(List.of(initial)), 0, m0);
    int dim = s0.length;
    float[] states = new float[ensemble * dim];
    for (int e = 0; e < ensemble; e++) {
      System.arraycopy(s0, 0, states, e * dim, dim);
    }
    double[][][] out = new double[ensemble][horizon + 1][macros.size()];
    Random random = new Random(seed);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      ParameterStore store = new ParameterStore(manager, false);
      for (int t = 0; ; t++) {
        for (int e = 0; e < ensemble; e++) {
          for (int k = 0; k < macros.size(); k++) {
            // step 0 is the observed state itself, not its float round trip
            out[e][t][k] = t == 0 ? m0[k] : scaling.macro(states, e * dim, k);
          }
        }
        if (t == horizon) {
          break;
        }
        try (NDManager scope = manager.newSubManager()) {
          NDArray s = scope.create(states, new Shape(ensemble, dim));
          float[] mu = transition.drift.forward(store, new NDList(s), false).head().toFloatArray();
          float[] sigma =
              transition.diffusion == null
                  ? null
                  : transition.logSigma(store, s, false).exp().toFloatArray();
          for (int i = 0; i < states.length; i++) {
            states[i] += mu[i];
            if (sigma != null) {
              states[i] += (float) (sigma[i] * random.nextGaussian());
            }
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    encoderModel.close();
    dynamicsModel.close();
  }
}
