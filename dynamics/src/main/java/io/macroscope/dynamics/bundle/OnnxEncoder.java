package io.macroscope.dynamics.bundle;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Serves a bundle's encoder with ONNX Runtime: raw inputs in, latent rows out, normalisation
 * applied as the manifest records it. Thread-safe (ONNX Runtime sessions are).
 */
public final class OnnxEncoder implements BundleEncoder {

  private final OrtSession session;
  private final float[] mean;
  private final float[] inverseScale;
  private final String inputName;
  private final int features;
  private final int latentDim;
  private final Manifest manifest;

  /**
   * @param threads intra-op threads of the session (1 suits small models on few cores)
   */
  public OnnxEncoder(ModelBundle bundle, int threads) {
    this(bundle, threads, InferenceDevice.CPU);
  }

  /**
   * @param threads intra-op threads
   * @param device where the session runs
   */
  public OnnxEncoder(ModelBundle bundle, int threads, InferenceDevice device) {
    Manifest m = bundle.manifest();
    this.inputName = m.files().get("encoder").input();
    this.features = m.input().size();
    this.latentDim = m.latentDim();
    this.manifest = m;
    // normalisation as arrays once, not boxed list look-ups per value per call
    this.mean = new float[features];
    this.inverseScale = new float[features];
    for (int j = 0; j < features; j++) {
      mean[j] = m.normalization().mean().get(j).floatValue();
      inverseScale[j] = (float) (1.0 / m.normalization().scale().get(j));
    }
    this.session = bundle.session("encoder", threads, device);
  }

  @Override
  public int features() {
    return features;
  }

  @Override
  public int latentDim() {
    return latentDim;
  }

  @Override
  public float[] encode(float[] inputs, int n) {
    if (inputs.length != n * features) {
      throw new IllegalArgumentException(
          "expected " + n + " x " + features + " values, got " + inputs.length);
    }
    float[] x = new float[inputs.length];
    for (int i = 0, k = 0; i < n; i++) {
      for (int j = 0; j < features; j++, k++) {
        x[k] = (inputs[k] - mean[j]) * inverseScale[j];
      }
    }
    return OrtRows.run(session, inputName, x, features, "encoder");
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
