package io.macroscope.dynamics.particles;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Images as sets, the closure paper's route for video: every pixel clearly above the background
 * becomes a particle at its (x, y) = (column, row) with an {@code intensity} column (value minus
 * background). The background is the frame's median and the noise 1.4826 x its median absolute
 * deviation (robust to the bright pixels themselves); a pixel counts when it exceeds background + k
 * x noise. A frame with no such pixel keeps its brightest one, so every set is non-empty.
 */
public final class ImageSets {

  /** Name of the per-particle intensity column. */
  public static final String INTENSITY = "intensity";

  private ImageSets() {}

  /**
   * One frame as a set.
   *
   * @param image frames, row-major (T, H, W) or one (H, W)
   * @param frame which frame of {@code image}
   * @param k threshold in noise units above the background
   * @param info macro values and time to carry (may be empty)
   * @throws IllegalArgumentException for a non-finite pixel or k < 0
   */
  public static ParticleFrame toSet(
      float[] image, int frame, int height, int width, double k, Map<String, String> info) {
    if (!(k >= 0)) {
      throw new IllegalArgumentException("threshold k must be >= 0, got " + k);
    }
    int size = height * width;
    int offset = frame * size;
    float[] sorted = Arrays.copyOfRange(image, offset, offset + size);
    for (float v : sorted) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("frame " + frame + " has a non-finite pixel");
      }
    }
    Arrays.sort(sorted);
    double background = median(sorted);
    float[] deviations = new float[size];
    for (int i = 0; i < size; i++) {
      deviations[i] = (float) Math.abs(sorted[i] - background);
    }
    Arrays.sort(deviations);
    double threshold = background + k * 1.4826 * median(deviations);
    int count = 0;
    int brightest = 0;
    for (int i = 0; i < size; i++) {
      float v = image[offset + i];
      if (v > threshold) {
        count++;
      }
      if (v > image[offset + brightest]) {
        brightest = i;
      }
    }
    boolean none = count == 0;
    int n = none ? 1 : count;
    float[] positions = new float[2 * n];
    float[] intensity = new float[n];
    int p = 0;
    for (int i = 0; i < size; i++) {
      float v = image[offset + i];
      if (none ? i == brightest : v > threshold) {
        positions[2 * p] = i % width;
        positions[2 * p + 1] = i / width;
        intensity[p] = (float) (v - background);
        p++;
      }
    }
    Map<String, float[]> columns = new LinkedHashMap<>();
    columns.put(INTENSITY, intensity);
    return new ParticleFrame(n, 2, positions, null, columns, new LinkedHashMap<>(info));
  }

  private static double median(float[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }
}
