package io.macroscope.dynamics.ae;

import java.util.ArrayList;
import java.util.List;

/**
 * Regular-space clustering: walk the points in order and make a point a new centre when it is at
 * least {@code dMin} from every centre so far; then assign every point to its nearest centre.
 * Centres are therefore pairwise at least dMin apart and cover the data at resolution dMin.
 */
public final class RegularSpaceClustering {

  /** The most centres allowed; more means dMin is too small for the latent scale. */
  public static final int MAX_CENTRES = 200;

  private RegularSpaceClustering() {}

  /**
   * Result of a clustering.
   *
   * @param centres row-major (k, d)
   * @param labels centre index per point
   * @param counts points per centre
   */
  public record Result(double[] centres, int[] labels, int[] counts, int dim) {
    public int k() {
      return counts.length;
    }
  }

  /**
   * Clusters {@code n} points of dimension {@code d} (row-major).
   *
   * @throws IllegalStateException if more than {@link #MAX_CENTRES} centres would be needed
   */
  public static Result cluster(float[] points, int n, int d, double dMin) {
    if (!(dMin > 0)) {
      throw new IllegalArgumentException("dMin must be positive, got " + dMin);
    }
    double d2 = dMin * dMin;
    List<float[]> centres = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (nearest(points, i, d, centres).distance2 >= d2) {
        if (centres.size() == MAX_CENTRES) {
          throw new IllegalStateException(
              "regular-space clustering with d_min="
                  + dMin
                  + " needs more than "
                  + MAX_CENTRES
                  + " centres: the latent space is spread wider than expected; raise --dmin");
        }
        float[] c = new float[d];
        System.arraycopy(points, i * d, c, 0, d);
        centres.add(c);
      }
    }
    int[] labels = new int[n];
    int[] counts = new int[centres.size()];
    for (int i = 0; i < n; i++) {
      labels[i] = nearest(points, i, d, centres).index;
      counts[labels[i]]++;
    }
    double[] flat = new double[centres.size() * d];
    for (int k = 0; k < centres.size(); k++) {
      for (int a = 0; a < d; a++) {
        flat[k * d + a] = centres.get(k)[a];
      }
    }
    return new Result(flat, labels, counts, d);
  }

  /** Labels of new points: the nearest of {@code clusters}' centres for each of n rows. */
  public static int[] assign(Result clusters, float[] points, int n) {
    int d = clusters.dim();
    List<float[]> centres = new ArrayList<>();
    for (int k = 0; k < clusters.k(); k++) {
      float[] c = new float[d];
      for (int a = 0; a < d; a++) {
        c[a] = (float) clusters.centres()[k * d + a];
      }
      centres.add(c);
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = nearest(points, i, d, centres).index;
    }
    return labels;
  }

  private record Nearest(int index, double distance2) {}

  private static Nearest nearest(float[] points, int i, int d, List<float[]> centres) {
    int best = -1;
    double bestD2 = Double.POSITIVE_INFINITY;
    for (int k = 0; k < centres.size(); k++) {
      float[] c = centres.get(k);
      double s = 0;
      for (int a = 0; a < d; a++) {
        double diff = points[i * d + a] - c[a];
        s += diff * diff;
      }
      if (s < bestD2) {
        bestD2 = s;
        best = k;
      }
    }
    return new Nearest(best, bestD2);
  }
}
