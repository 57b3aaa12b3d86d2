package io.macroscope.dynamics.bundle;

import io.macroscope.dynamics.closure.Rollouts;

/**
 * Rolls a Dynamics-AE bundle's learned Langevin prior forward with ONNX Runtime, in the manifest's
 * convention: z_{t+1} = z_t + f(z_t) dt + sqrt(2 D dt) eps, eps ~ N(0, I) from a seeded generator,
 * or, with a position-dependent diffusion M(z), z_{t+1} = z_t + (M f + D dM/dz) dt + sqrt(2 D M dt)
 * eps. Thread-safe (ONNX Runtime sessions are; each call has its own generator).
 */
public final class DynamicsAeForecaster implements AutoCloseable {

  private final LangevinMoves moves;

  /**
   * @param threads intra-op threads of the drift session
   * @throws BundleException if the bundle is not a Dynamics-AE or its prior does not load
   */
  public DynamicsAeForecaster(ModelBundle bundle, int threads) {
    this(bundle, threads, InferenceDevice.CPU);
  }

  /**
   * @param threads intra-op threads of the drift (and diffusion) session
   * @param device where the sessions run
   */
  public DynamicsAeForecaster(ModelBundle bundle, int threads, InferenceDevice device) {
    this.moves = LangevinMoves.open(bundle, threads, device);
  }

  /**
   * An ensemble forecast from latent state {@code z0}.
   *
   * @return latent coordinates [member][step 0..horizon][d]; step 0 is {@code z0}
   */
  public double[][][] forecast(float[] z0, int horizon, int ensemble, long seed) {
    if (z0.length != moves.dim()) {
      throw new IllegalArgumentException(
          "state has " + z0.length + " coordinates, model " + moves.dim());
    }
    double[] first = new double[z0.length];
    for (int k = 0; k < z0.length; k++) {
      first[k] = z0[k];
    }
    // Rollouts asks for the mean and then the spread of the same states: one evaluation for both.
    float[] sigma = new float[z0.length * ensemble];
    return Rollouts.run(
        z0,
        first,
        horizon,
        ensemble,
        seed,
        states -> {
          float[] mean = new float[states.length];
          moves.at(states, mean, sigma);
          return mean;
        },
        states -> sigma,
        (states, offset, k) -> states[offset + k]);
  }

  @Override
  public void close() {
    moves.close();
  }
}
