package io.macroscope.dynamics.bundle;

/**
 * A bundle's encoder ready to serve: raw inputs in, latent rows out (normalisation applied as the
 * manifest records it). ONNX Runtime by default; the PyTorch engine on request.
 */
public interface BundleEncoder extends AutoCloseable {

  /** Inference engines a bundle can be served with. */
  enum Engine {
    ONNX,
    PYTORCH
  }

  /** Values per input. */
  int features();

  /** Latent dimension. */
  int latentDim();

  /** Encodes {@code n} raw inputs (row-major) to latent rows (n x latentDim). */
  float[] encode(float[] inputs, int n);

  @Override
  void close();

  /**
   * Opens the encoder of {@code bundle} on {@code engine} with {@code threads} intra-op threads.
   */
  static BundleEncoder open(ModelBundle bundle, Engine engine, int threads) {
    return open(bundle, engine, threads, InferenceDevice.CPU);
  }

  /**
   * Opens the encoder of {@code bundle} on {@code engine} with {@code threads} intra-op threads;
   * ONNX Runtime sessions on {@code device} (the PyTorch engine serves on the CPU).
   */
  static BundleEncoder open(
      ModelBundle bundle, Engine engine, int threads, InferenceDevice device) {
    if (bundle.manifest().closure() != null) {
      throw new BundleException(
          bundle.dir() + " holds a closure model (particle sets): use `macroscope forecast`");
    }
    return switch (engine) {
      case ONNX -> new OnnxEncoder(bundle, threads, device);
      case PYTORCH -> new PyTorchEncoder(bundle);
    };
  }

  /** (x - mean) / scale per feature, as recorded in the manifest. */
  static float[] normalize(Manifest manifest, float[] inputs, int n) {
    int f = manifest.input().size();
    float[] x = new float[inputs.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        x[i * f + j] =
            (float)
                ((inputs[i * f + j] - manifest.normalization().mean().get(j))
                    / manifest.normalization().scale().get(j));
      }
    }
    return x;
  }
}
