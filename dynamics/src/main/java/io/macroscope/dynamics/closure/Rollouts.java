package io.macroscope.dynamics.closure;

import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Euler-Maruyama rollouts of the latent dynamics in normalised state space, shared by the trained
 * model (DJL) and the bundle forecaster (ONNX Runtime): s_{t+1} = s_t + mu(s_t) + sigma(s_t) eps
 * per frame step, eps ~ N(0, I) from a seeded generator (deterministic for a seed); sigma = 0 in
 * ODE mode.
 */
public final class Rollouts {

  /** log sigma is clipped to this range, as in training. */
  public static final float MIN_LOG_SIGMA = -7;

  public static final float MAX_LOG_SIGMA = 3;

  private Rollouts() {}

  /** Reads raw output component {@code k} of the state row at {@code offset}. */
  @FunctionalInterface
  public interface Readout {
    double value(float[] states, int offset, int k);
  }

  /**
   * Macro rollouts of a closure model.
   *
   * @param s0 the initial normalised state (D)
   * @param m0 the initial raw macro values (reported as step 0 exactly)
   * @param drift maps states (ensemble x D, row-major) to drifts
   * @param logSigma maps states to log diffusions, or null for an ODE
   * @return raw macro values [member][step 0..horizon][macro]
   */
  public static double[][][] run(
      float[] s0,
      double[] m0,
      int horizon,
      int ensemble,
      long seed,
      LatentScaling scaling,
      UnaryOperator<float[]> drift,
      UnaryOperator<float[]> logSigma) {
    return run(s0, m0, horizon, ensemble, seed, drift, clippedExp(logSigma), scaling::macro);
  }

  /** sigma = exp(clip(log sigma)), or null (an ODE) when {@code logSigma} is null. */
  public static UnaryOperator<float[]> clippedExp(UnaryOperator<float[]> logSigma) {
    if (logSigma == null) {
      return null;
    }
    return states -> {
      float[] ls = logSigma.apply(states);
      float[] sigma = new float[ls.length];
      for (int i = 0; i < ls.length; i++) {
        sigma[i] = (float) Math.exp(Math.min(MAX_LOG_SIGMA, Math.max(MIN_LOG_SIGMA, ls[i])));
      }
      return sigma;
    };
  }

  /**
   * The general ensemble: s_{t+1} = s_t + mu(s_t) + sigma(s_t) eps, read out after every step.
   *
   * @param s0 the initial state (D) in the dynamics' own coordinates
   * @param first the raw outputs of the initial state (reported as step 0 exactly); its length is
   *     the number of outputs
   * @param drift maps states (ensemble x D, row-major) to drifts per step
   * @param sigma maps states to noise amplitudes per component and step, or null for an ODE
   * @param readout raw output k of a state row
   * @return outputs [member][step 0..horizon][output]
   */
  public static double[][][] run(
      float[] s0,
      double[] first,
      int horizon,
      int ensemble,
      long seed,
      UnaryOperator<float[]> drift,
      UnaryOperator<float[]> sigma,
      Readout readout) {
    if (horizon < 0 || ensemble < 1) {
      throw new IllegalArgumentException("need horizon >= 0 and ensemble >= 1");
    }
    int dim = s0.length;
    float[] states = new float[ensemble * dim];
    for (int e = 0; e < ensemble; e++) {
      System.arraycopy(s0, 0, states, e * dim, dim);
    }
    int q = first.length;
    double[][][] out = new double[ensemble][horizon + 1][q];
    Random random = new Random(seed);
    for (int t = 0; ; t++) {
      for (int e = 0; e < ensemble; e++) {
        for (int k = 0; k < q; k++) {
          out[e][t][k] = t == 0 ? first[k] : readout.value(states, e * dim, k);
        }
      }
      if (t == horizon) {
        return out;
      }
      float[] mu = drift.apply(states);
      float[] noise = sigma == null ? null : sigma.apply(states);
      for (int i = 0; i < states.length; i++) {
        states[i] += mu[i];
        if (noise != null) {
          states[i] += (float) (noise[i] * random.nextGaussian());
        }
      }
    }
  }
}
