package io.macroscope.trainer;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.macroscope.dynamics.bundle.BundleException;
import io.macroscope.dynamics.bundle.InferenceDevice;
import io.macroscope.dynamics.bundle.LangevinMoves;
import io.macroscope.dynamics.bundle.Manifest;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.bundle.OnnxEncoder;
import io.macroscope.dynamics.bundle.OrtRows;

/**
 * How well a Dynamics-AE bundle explains held-out frames, in terms comparable across releases: the
 * relative reconstruction error in the inputs' own units (squared error over the data's variance,
 * so models with different normalisations compare fairly) and the prior's mean negative
 * log-likelihood per consecutive pair (the diffusion convention fixes the latent scale).
 *
 * @param reconstruction relative reconstruction error (0 = perfect, 1 = no better than the mean)
 * @param priorNll mean negative log-likelihood of z_{t+1} given z_t under the learned SDE
 */
public record BundleScore(double reconstruction, double priorNll) {

  public static BundleScore of(ModelBundle bundle, float[] frames, int n) {
    Manifest m = bundle.manifest();
    int f = m.input().size();
    int d = m.latentDim();
    float[] z;
    try (OnnxEncoder encoder = new OnnxEncoder(bundle, 1)) {
      z = encoder.encode(frames, n);
    }
    float[] decoded = run(bundle, "decoder", z, d);
    double[] mean = new double[f];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        mean[j] += frames[i * f + j] / (double) n;
      }
    }
    double err = 0;
    double var = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        double x = frames[i * f + j];
        double xHat =
            decoded[i * f + j] * m.normalization().scale().get(j) + m.normalization().mean().get(j);
        err += (xHat - x) * (xHat - x);
        var += (x - mean[j]) * (x - mean[j]);
      }
    }
    double nll = 0;
    if (n > 1) {
      float[] moveMean = new float[(n - 1) * d];
      float[] moveStd = new float[(n - 1) * d];
      try (LangevinMoves prior = LangevinMoves.open(bundle, 1, InferenceDevice.CPU)) {
        prior.at(java.util.Arrays.copyOf(z, (n - 1) * d), moveMean, moveStd);
      }
      for (int i = 0; i + 1 < n; i++) {
        for (int k = 0; k < d; k++) {
          double r = z[(i + 1) * d + k] - z[i * d + k] - moveMean[i * d + k];
          double variance = (double) moveStd[i * d + k] * moveStd[i * d + k];
          nll += r * r / (2 * variance) + 0.5 * Math.log(2 * Math.PI * variance);
        }
      }
    }
    return new BundleScore(var > 0 ? err / var : err, n > 1 ? nll / (n - 1) : 0);
  }

  private static float[] run(ModelBundle bundle, String name, float[] rows, int width) {
    try (OrtSession session =
        OrtEnvironment.getEnvironment()
            .createSession(bundle.file(name).toString(), new OrtSession.SessionOptions())) {
      return OrtRows.run(session, bundle.manifest().files().get(name).input(), rows, width, name);
    } catch (OrtException e) {
      throw new BundleException("cannot load " + bundle.file(name) + ": " + e.getMessage(), e);
    }
  }
}
