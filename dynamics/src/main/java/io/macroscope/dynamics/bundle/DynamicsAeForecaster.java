package io.macroscope.dynamics.bundle;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.macroscope.dynamics.closure.Rollouts;
import java.util.Arrays;

/**
 * Rolls a Dynamics-AE bundle's learned Langevin prior forward with ONNX Runtime, in the manifest's
 * convention: z_{t+1} = z_t + f(z_t) dt + sqrt(2 D dt) eps, eps ~ N(0, I) from a seeded generator.
 * Thread-safe (ONNX Runtime sessions are; each call has its own generator).
 */
public final class DynamicsAeForecaster implements AutoCloseable {

  private final OrtSession drift;
  private final String input;
  private final int dim;
  private final double dt;
  private final float noise;

  /**
   * @param threads intra-op threads of the drift session
   * @throws BundleException if the bundle is not a Dynamics-AE or its drift does not load
   */
  public DynamicsAeForecaster(ModelBundle bundle, int threads) {
    this(bundle, threads, InferenceDevice.CPU);
  }

  /**
   * @param threads intra-op threads of the drift session
   * @param device where the drift session runs
   */
  public DynamicsAeForecaster(ModelBundle bundle, int threads, InferenceDevice device) {
    Manifest manifest = bundle.manifest();
    if (manifest.closure() != null) {
      throw new BundleException(bundle.dir() + " holds a closure model, not a Dynamics-AE");
    }
    if (!"overdamped-langevin".equals(manifest.diffusion().convention())
        || !manifest.diffusion().constant()) {
      throw new BundleException(
          bundle.dir()
              + ": unsupported diffusion convention "
              + manifest.diffusion()
              + " (expected constant overdamped-langevin)");
    }
    this.dim = manifest.latentDim();
    this.dt = manifest.dt();
    this.noise = (float) Math.sqrt(2 * manifest.diffusion().coefficient() * dt);
    this.input =
        manifest.files().get("drift") == null ? "z" : manifest.files().get("drift").input();
    try {
      OrtSession.SessionOptions options = device.sessionOptions(threads);
      this.drift =
          OrtEnvironment.getEnvironment().createSession(bundle.file("drift").toString(), options);
    } catch (OrtException e) {
      throw new BundleException("cannot load " + bundle.file("drift") + ": " + e.getMessage(), e);
    }
  }

  /**
   * An ensemble forecast from latent state {@code z0}.
   *
   * @return latent coordinates [member][step 0..horizon][d]; step 0 is {@code z0}
   */
  public double[][][] forecast(float[] z0, int horizon, int ensemble, long seed) {
    if (z0.length != dim) {
      throw new IllegalArgumentException("state has " + z0.length + " coordinates, model " + dim);
    }
    double[] first = new double[dim];
    for (int k = 0; k < dim; k++) {
      first[k] = z0[k];
    }
    float[] sigma = new float[z0.length * ensemble];
    Arrays.fill(sigma, noise);
    return Rollouts.run(
        z0,
        first,
        horizon,
        ensemble,
        seed,
        this::step,
        states -> sigma,
        (states, offset, k) -> states[offset + k]);
  }

  /** f(z) dt for a batch of states. */
  private float[] step(float[] states) {
    float[] out = OrtRows.run(drift, input, states, dim, "drift");
    if (dt != 1.0) {
      for (int i = 0; i < out.length; i++) {
        out[i] *= (float) dt;
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      drift.close();
    } catch (OrtException e) {
      throw new BundleException("cannot close the drift session: " + e.getMessage(), e);
    }
  }
}
