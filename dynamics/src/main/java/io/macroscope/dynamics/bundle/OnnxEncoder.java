package io.macroscope.dynamics.bundle;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Serves a bundle's encoder with ONNX Runtime: raw inputs in, latent rows out, normalisation
 * applied as the manifest records it. Thread-safe (ONNX Runtime sessions are).
 */
public final class OnnxEncoder implements AutoCloseable {

  private final OrtSession session;
  private final String inputName;
  private final int features;
  private final int latentDim;
  private final float[] mean;
  private final float[] scale;

  /**
   * @param threads intra-op threads of the session (1 suits small models on few cores)
   */
  public OnnxEncoder(ModelBundle bundle, int threads) {
    Manifest m = bundle.manifest();
    this.inputName = m.files().get("encoder").input();
    this.features = m.input().size();
    this.latentDim = m.latentDim();
    this.mean = toArray(m.normalization().mean());
    this.scale = toArray(m.normalization().scale());
    try {
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(threads);
      this.session =
          OrtEnvironment.getEnvironment().createSession(bundle.file("encoder").toString(), options);
    } catch (OrtException e) {
      throw new BundleException("cannot load " + bundle.file("encoder") + ": " + e.getMessage(), e);
    }
  }

  public int features() {
    return features;
  }

  public int latentDim() {
    return latentDim;
  }

  /** Encodes {@code n} raw inputs (row-major, {@link #features()} each) to latent rows. */
  public float[] encode(float[] inputs, int n) {
    if (inputs.length != n * features) {
      throw new IllegalArgumentException(
          "expected " + n + " x " + features + " values, got " + inputs.length);
    }
    float[] x = new float[inputs.length];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < features; f++) {
        x[i * features + f] = (inputs[i * features + f] - mean[f]) / scale[f];
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, features});
        OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      FloatBuffer z = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] out = new float[n * latentDim];
      z.get(out);
      return out;
    } catch (OrtException e) {
      throw new BundleException("encoder inference failed: " + e.getMessage(), e);
    }
  }

  private static float[] toArray(java.util.List<Double> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new BundleException("cannot close encoder session: " + e.getMessage(), e);
    }
  }
}
