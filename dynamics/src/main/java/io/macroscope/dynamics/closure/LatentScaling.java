package io.macroscope.dynamics.closure;

import java.util.Arrays;

/**
 * Normalisation of the dynamics' state s = ((z - zMean) / zScale, (m - mMean) / mScale): the latent
 * part by the training encodings' statistics, the macro part by the training frames'.
 */
public record LatentScaling(
    double[] latentMean, double[] latentScale, double[] macroMean, double[] macroScale) {

  /** Latent statistics of {@code z} (n x d, row-major) with the given macro normalisation. */
  static LatentScaling fit(float[] z, int d, double[] macroMean, double[] macroScale) {
    int n = z.length / d;
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        mean[k] += z[i * d + k] / (double) n;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        double v = z[i * d + k] - mean[k];
        scale[k] += v * v / n;
      }
    }
    for (int k = 0; k < d; k++) {
      // A latent coordinate the encoder left constant (collapse) must not blow up to 1/0.
      scale[k] = scale[k] > 1e-12 ? Math.sqrt(scale[k]) : 1;
    }
    return new LatentScaling(mean, scale, macroMean.clone(), macroScale.clone());
  }

  public int latentDim() {
    return latentMean.length;
  }

  public int macroCount() {
    return macroMean.length;
  }

  /** The normalised state of one latent row and its raw macro values. */
  public float[] state(float[] z, int zOffset, double[] macros) {
    int d = latentDim();
    float[] s = new float[d + macroCount()];
    for (int k = 0; k < d; k++) {
      s[k] = (float) ((z[zOffset + k] - latentMean[k]) / latentScale[k]);
    }
    for (int k = 0; k < macroCount(); k++) {
      s[d + k] = (float) ((macros[k] - macroMean[k]) / macroScale[k]);
    }
    return s;
  }

  /** Raw macro value k of a normalised state row starting at {@code offset}. */
  public double macro(float[] states, int offset, int k) {
    return states[offset + latentDim() + k] * macroScale[k] + macroMean[k];
  }

  /** Raw component k of a normalised state row: latent coordinates first, then the macros. */
  public double raw(float[] states, int offset, int k) {
    int d = latentDim();
    return k < d
        ? states[offset + k] * latentScale[k] + latentMean[k]
        : macro(states, offset, k - d);
  }

  @Override
  public String toString() {
    return "LatentScaling[z "
        + Arrays.toString(latentMean)
        + " / "
        + Arrays.toString(latentScale)
        + ", m "
        + Arrays.toString(macroMean)
        + " / "
        + Arrays.toString(macroScale)
        + "]";
  }
}
