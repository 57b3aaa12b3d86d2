package io.macroscope.dynamics.closure;

import io.macroscope.dynamics.particles.ParticleFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * Training and validation trajectories with what the trainer derives from them once: the feature
 * normalisation, the macro values per frame and their normalisation.
 */
record ClosureData(
    List<List<ParticleFrame>> train,
    List<List<ParticleFrame>> valid,
    List<String> macros,
    SetFeatures features,
    double[] macroMean,
    double[] macroScale) {

  static ClosureData of(
      List<List<ParticleFrame>> train,
      List<List<ParticleFrame>> valid,
      List<String> macros,
      List<String> columns,
      boolean center,
      boolean align) {
    for (List<ParticleFrame> t : train) {
      if (t.size() < 2) {
        throw new IllegalArgumentException("every trajectory needs at least two frames");
      }
    }
    List<ParticleFrame> frames = flatten(train);
    SetFeatures features = SetFeatures.fit(frames, columns, center, align);
    int q = macros.size();
    double[] mean = new double[q];
    double[] scale = new double[q];
    for (ParticleFrame f : frames) {
      for (int k = 0; k < q; k++) {
        double v = f.macro(macros.get(k));
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("macro " + macros.get(k) + " is not finite: " + v);
        }
        mean[k] += v / frames.size();
      }
    }
    for (ParticleFrame f : frames) {
      for (int k = 0; k < q; k++) {
        double v = f.macro(macros.get(k)) - mean[k];
        scale[k] += v * v / frames.size();
      }
    }
    for (int k = 0; k < q; k++) {
      scale[k] = scale[k] > 1e-24 ? Math.sqrt(scale[k]) : 1;
    }
    return new ClosureData(train, valid, List.copyOf(macros), features, mean, scale);
  }

  private static List<ParticleFrame> flatten(List<List<ParticleFrame>> trajectories) {
    List<ParticleFrame> out = new ArrayList<>();
    trajectories.forEach(out::addAll);
    return out;
  }

  List<ParticleFrame> trainFrames() {
    return flatten(train);
  }

  List<ParticleFrame> validFrames() {
    return flatten(valid);
  }

  /** The particle count shared by every frame, for baselines that need one. */
  int fixedCount(String method) {
    int n = train.get(0).get(0).n();
    for (List<ParticleFrame> t : train) {
      for (ParticleFrame f : t) {
        if (f.n() != n) {
          throw new IllegalArgumentException(
              method
                  + " needs one particle count in all training frames, found "
                  + n
                  + " and "
                  + f.n());
        }
      }
    }
    return n;
  }

  /** Raw macro values of frames. */
  double[] macroValues(ParticleFrame frame) {
    double[] m = new double[macros.size()];
    for (int k = 0; k < m.length; k++) {
      m[k] = frame.macro(macros.get(k));
    }
    return m;
  }

  /** Normalised macro rows (n x q) of frames. */
  float[] macroRows(List<ParticleFrame> frames) {
    int q = macros.size();
    float[] out = new float[frames.size() * q];
    for (int i = 0; i < frames.size(); i++) {
      double[] m = macroValues(frames.get(i));
      for (int k = 0; k < q; k++) {
        out[i * q + k] = (float) ((m[k] - macroMean[k]) / macroScale[k]);
      }
    }
    return out;
  }

  /** Consecutive frame pairs of the training or validation trajectories. */
  List<ParticleFrame[]> framePairs(boolean training) {
    List<ParticleFrame[]> pairs = new ArrayList<>();
    for (List<ParticleFrame> t : training ? train : valid) {
      for (int i = 0; i + 1 < t.size(); i++) {
        pairs.add(new ParticleFrame[] {t.get(i), t.get(i + 1)});
      }
    }
    return pairs;
  }

  /** Frames in the shortest validation trajectory. */
  int shortestValid() {
    return valid.stream().mapToInt(List::size).min().orElse(0);
  }

  /**
   * Windows of {@code length} consecutive normalised states (count, length, D), row-major, from the
   * training or validation trajectories, given the latent rows {@code z} of their frames.
   */
  float[] windows(LatentScaling scaling, float[] z, boolean training, int length) {
    int d = scaling.latentDim();
    int dim = d + macros.size();
    List<List<ParticleFrame>> trajectories = training ? train : valid;
    List<float[]> states = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    int frame = 0;
    for (List<ParticleFrame> t : trajectories) {
      int first = states.size();
      for (ParticleFrame f : t) {
        states.add(scaling.state(z, frame * d, macroValues(f)));
        frame++;
      }
      for (int i = first; i + length <= states.size(); i++) {
        starts.add(i);
      }
    }
    float[] out = new float[starts.size() * length * dim];
    for (int w = 0; w < starts.size(); w++) {
      for (int j = 0; j < length; j++) {
        System.arraycopy(states.get(starts.get(w) + j), 0, out, (w * length + j) * dim, dim);
      }
    }
    return out;
  }
}
