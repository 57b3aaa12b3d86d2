package io.macroscope.dynamics.bundle;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.Locale;

/**
 * Where ONNX Runtime sessions run ({@code inference.device}): the CPU, a CUDA GPU (needs ONNX
 * Runtime's GPU build on the class path: the {@code gpu} Maven profile), or the GPU when one is
 * usable and the CPU otherwise.
 */
public enum InferenceDevice {
  CPU,
  GPU,
  AUTO;

  /** {@code cpu}, {@code gpu} or {@code auto}. */
  public static InferenceDevice parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("inference device must be cpu, gpu or auto, got " + name);
    }
  }

  /** Whether this ONNX Runtime build offers the CUDA execution provider. */
  public static boolean cudaAvailable() {
    return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
  }

  /**
   * Session options with {@code threads} intra-op threads on this device.
   *
   * @throws BundleException for GPU when the CUDA provider is missing or fails to start
   */
  public OrtSession.SessionOptions sessionOptions(int threads) {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(threads);
      boolean cuda = this == GPU || (this == AUTO && cudaAvailable());
      if (cuda) {
        if (!cudaAvailable()) {
          throw new BundleException(
              "inference.device=gpu but this ONNX Runtime build has no CUDA provider"
                  + " (build with -Pgpu, or use cpu/auto)");
        }
        options.addCUDA(0);
      }
      return options;
    } catch (OrtException e) {
      options.close();
      throw new BundleException("cannot set up ONNX Runtime on " + this + ": " + e.getMessage(), e);
    }
  }
}
