package io.macroscope.dynamics.bundle;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.macroscope.dynamics.closure.LatentScaling;
import io.macroscope.dynamics.closure.Rollouts;
import io.macroscope.dynamics.closure.SetBatch;
import io.macroscope.dynamics.closure.SetFeatures;
import io.macroscope.dynamics.particles.ParticleFrame;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Serves a closure bundle with ONNX Runtime: encodes a microstate with the DeepSet encoder and
 * rolls the learned SDE/ODE forward from it. A bundle aligned to an earlier release (see {@link
 * BundleAligner}) encodes into the aligned coordinates; its rollouts run in the model's own
 * coordinates, entered and left through the recorded isometry. Thread-safe for concurrent forecasts
 * (each call has its own generator; ONNX Runtime sessions are thread-safe).
 */
public final class ClosureForecaster implements AutoCloseable {

  private final Manifest manifest;
  private final SetFeatures features;
  private final LatentScaling scaling;
  private final OrtSession encoder;
  private final OrtSession drift;
  private final OrtSession diffusion;
  private final LatentAlignment alignment;
  private final LatentAlignment toModel;

  /**
   * @param threads intra-op threads per session
   * @throws BundleException if the bundle is not a closure model or a network does not load
   */
  public ClosureForecaster(ModelBundle bundle, int threads) {
    this(bundle, threads, InferenceDevice.CPU);
  }

  /**
   * @param threads intra-op threads per session
   * @param device where the sessions run
   */
  public ClosureForecaster(ModelBundle bundle, int threads, InferenceDevice device) {
    this.manifest = bundle.manifest();
    Manifest.ClosureSpec spec = manifest.closure();
    if (spec == null) {
      throw new BundleException(
          bundle.dir() + " holds a " + manifest.method() + " model, not a closure model");
    }
    this.features =
        new SetFeatures(
            spec.positionDims(),
            spec.columns(),
            spec.species(),
            doubles(manifest.normalization().mean()),
            doubles(manifest.normalization().scale()),
            spec.centered(),
            spec.aligned());
    this.scaling =
        new LatentScaling(
            doubles(spec.latentMean()),
            doubles(spec.latentScale()),
            doubles(spec.macroMean()),
            doubles(spec.macroScale()));
    this.encoder = bundle.session("encoder", threads, device);
    this.drift = bundle.session("drift", threads, device);
    this.diffusion = spec.stochastic() ? bundle.session("diffusion", threads, device) : null;
    this.alignment =
        manifest.alignment() == null
            ? null
            : LatentAlignment.of(manifest.alignment(), manifest.latentDim());
    this.toModel = alignment == null ? null : alignment.inverse(); // once, not per forecast
  }

  public Manifest manifest() {
    return manifest;
  }

  /** Macro observable names, in forecast order. */
  public List<String> macros() {
    return manifest.macroNames();
  }

  /** Latent rows (n x d) of microstates, in the release's (aligned) coordinates. */
  public float[] encode(List<ParticleFrame> frames) {
    SetBatch b = features.pad(frames);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor x =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(b.x()), new long[] {b.batch(), b.size(), b.features()});
        OnnxTensor mask =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(b.mask()), new long[] {b.batch(), b.size(), b.slots()});
        OrtSession.Result result = encoder.run(Map.of("x", x, "mask", mask))) {
      FloatBuffer z = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] out = new float[z.remaining()];
      z.get(out);
      return out;
    } catch (OrtException e) {
      throw new BundleException("encoder inference failed: " + e.getMessage(), e);
    }
  }

  /**
   * An ensemble forecast from {@code initial} (which must carry the macro values).
   *
   * @return raw macro values [member][step 0..horizon][macro]; step 0 is the initial state's
   */
  public double[][][] forecast(ParticleFrame initial, int horizon, int ensemble, long seed) {
    List<String> names = macros();
    double[] m0 = new double[names.size()];
    for (int k = 0; k < m0.length; k++) {
      m0[k] = initial.macro(names.get(k));
    }
    float[] s0 = scaling.state(own(encode(List.of(initial))), 0, m0);
    return Rollouts.run(
        s0, m0, horizon, ensemble, seed, scaling, dynamics(drift, s0.length), logSigma(s0.length));
  }

  /**
   * An ensemble forecast of the whole state from an encoded one.
   *
   * @param z raw latent coordinates (d), as {@link #encode} returns them
   * @param m0 raw macro values, in {@link #macros()} order
   * @return raw state components [member][step 0..horizon][z_0..z_{d-1}, macros...]; step 0 is the
   *     given state
   */
  public double[][][] forecastState(float[] z, double[] m0, int horizon, int ensemble, long seed) {
    float[] s0 = scaling.state(own(z), 0, m0);
    double[] first = new double[s0.length];
    for (int k = 0; k < z.length; k++) {
      first[k] = z[k];
    }
    System.arraycopy(m0, 0, first, z.length, m0.length);
    return Rollouts.run(
        s0,
        first,
        horizon,
        ensemble,
        seed,
        dynamics(drift, s0.length),
        Rollouts.clippedExp(logSigma(s0.length)),
        alignment == null ? scaling::raw : this::alignedRaw);
  }

  /** The model's own coordinates of one latent row given in the release's. */
  private float[] own(float[] z) {
    return toModel == null ? z : toModel.apply(z, 1);
  }

  /** Raw state component k, its latent part carried into the release's coordinates. */
  private double alignedRaw(float[] states, int offset, int k) {
    int d = alignment.dim();
    if (k >= d) {
      return scaling.raw(states, offset, k);
    }
    double v = alignment.shift()[k];
    for (int b = 0; b < d; b++) {
      v += alignment.rotation()[k * d + b] * scaling.raw(states, offset, b);
    }
    return v;
  }

  private UnaryOperator<float[]> logSigma(int dim) {
    return diffusion == null ? null : dynamics(diffusion, dim);
  }

  private static UnaryOperator<float[]> dynamics(OrtSession session, int dim) {
    return states -> OrtRows.run(session, "s", states, dim, "dynamics");
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Override
  public void close() {
    try {
      encoder.close();
      drift.close();
      if (diffusion != null) {
        diffusion.close();
      }
    } catch (OrtException e) {
      throw new BundleException("cannot close sessions: " + e.getMessage(), e);
    }
  }
}
