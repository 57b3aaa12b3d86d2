package io.macroscope.dynamics.bundle;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The one-step move distribution of a Dynamics-AE bundle's latent Langevin prior, computed with
 * ONNX Runtime in the manifest's convention: mean (M f + D dM/dz) dt and per-component standard
 * deviation sqrt(2 D M dt), with M = 1 for constant diffusion and M = exp(g(z)) from the bundle's
 * {@code diffusion} network otherwise (dM_ii/dz_i by the same central difference as in training).
 * Thread-safe (ONNX Runtime sessions are).
 */
public final class LangevinMoves implements AutoCloseable {

  private static final float DIFFERENCE_STEP =
      io.macroscope.dynamics.ae.DynamicsAeConfig.DIFFERENCE_STEP;

  private final OrtSession drift;
  private final String driftInput;
  private final OrtSession diffusion;
  private final String diffusionInput;
  private final int dim;
  private final double dt;
  private final double coefficient;

  private LangevinMoves(Manifest manifest, OrtSession drift, OrtSession diffusion) {
    this.drift = drift;
    this.driftInput = manifest.files().get("drift").input();
    this.diffusion = diffusion;
    this.diffusionInput = diffusion == null ? null : manifest.files().get("diffusion").input();
    this.dim = manifest.latentDim();
    this.dt = manifest.dt();
    this.coefficient = manifest.diffusion().coefficient();
  }

  /**
   * Loads the prior of a Dynamics-AE bundle.
   *
   * @param threads intra-op threads of each session
   * @throws BundleException if the bundle is not a Dynamics-AE with an overdamped-Langevin prior,
   *     or a network (the diffusion one, when the manifest declares it) is missing or does not load
   */
  public static LangevinMoves open(ModelBundle bundle, int threads, InferenceDevice device) {
    Manifest manifest = bundle.manifest();
    if (manifest.closure() != null) {
      throw new BundleException(bundle.dir() + " holds a closure model, not a Dynamics-AE");
    }
    if (!"overdamped-langevin".equals(manifest.diffusion().convention())) {
      throw new BundleException(
          bundle.dir()
              + ": unsupported diffusion convention "
              + manifest.diffusion()
              + " (expected overdamped-langevin)");
    }
    OrtSession drift = bundle.session("drift", threads, device);
    try {
      return new LangevinMoves(
          manifest,
          drift,
          manifest.diffusion().constant() ? null : bundle.session("diffusion", threads, device));
    } catch (BundleException e) {
      try {
        drift.close();
      } catch (OrtException ignored) {
        // reporting the load failure
      }
      throw e;
    }
  }

  /** Latent dimension d. */
  public int dim() {
    return dim;
  }

  /**
   * Mean and standard deviation of the move from each of {@code states.length / d} rows.
   *
   * @param mean receives the mean move, one value per state value
   * @param std receives the standard deviation, one value per state value
   */
  public void at(float[] states, float[] mean, float[] std) {
    float[] f = OrtRows.run(drift, driftInput, states, dim, "drift");
    if (diffusion == null) {
      float sigma = (float) Math.sqrt(2 * coefficient * dt);
      for (int i = 0; i < states.length; i++) {
        mean[i] = (float) (f[i] * dt);
        std[i] = sigma;
      }
      return;
    }
    int n = states.length / dim;
    // z, then z +- h e_i for every axis i, in one run
    float[] rows = new float[states.length * (1 + 2 * dim)];
    System.arraycopy(states, 0, rows, 0, states.length);
    for (int i = 0; i < dim; i++) {
      for (int sign = 0; sign < 2; sign++) {
        int block = (1 + 2 * i + sign) * states.length;
        System.arraycopy(states, 0, rows, block, states.length);
        for (int r = 0; r < n; r++) {
          rows[block + r * dim + i] += sign == 0 ? DIFFERENCE_STEP : -DIFFERENCE_STEP;
        }
      }
    }
    float[] g = OrtRows.run(diffusion, diffusionInput, rows, dim, "diffusion");
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < dim; i++) {
        int at = r * dim + i;
        double m = Math.exp(g[at]);
        double plus = Math.exp(g[(1 + 2 * i) * states.length + at]);
        double minus = Math.exp(g[(2 + 2 * i) * states.length + at]);
        double divergence = (plus - minus) / (2 * DIFFERENCE_STEP);
        mean[at] = (float) ((m * f[at] + coefficient * divergence) * dt);
        std[at] = (float) Math.sqrt(2 * coefficient * m * dt);
      }
    }
  }

  @Override
  public void close() {
    try {
      drift.close();
      if (diffusion != null) {
        diffusion.close();
      }
    } catch (OrtException e) {
      throw new BundleException("cannot close the prior's sessions: " + e.getMessage(), e);
    }
  }
}
