package io.macroscope.dynamics.closure;

import io.macroscope.dynamics.particles.ParticleFrame;
import java.util.List;

/**
 * How a microstate becomes a padded set tensor: which per-particle values are features (the
 * position columns, then extra named columns such as {@code intensity}), how each is normalised ((v
 * - mean) / scale), and which species labels exist (particles of the i-th label pool into the i-th
 * slot of the encoder; one slot when the data has no species).
 *
 * @param dim position columns
 * @param columns extra per-particle columns used as features
 * @param species species labels in slot order (empty = one slot for all particles): sorted, integer
 *     labels by their value
 * @param mean per-feature mean
 * @param scale per-feature scale
 * @param centered positions are taken relative to the microstate's centroid (over all particles)
 *     before the normalisation
 * @param aligned the centred positions are also turned onto the microstate's principal axes
 *     (decreasing variance), each axis pointing to the side of positive third moment, so a rotated
 *     or mirrored copy of a microstate has the same features; implies {@code centered}
 */
public record SetFeatures(
    int dim,
    List<String> columns,
    List<String> species,
    double[] mean,
    double[] scale,
    boolean centered,
    boolean aligned) {

  public SetFeatures {
    if (aligned && !centered) {
      throw new IllegalArgumentException("aligning positions needs them centred");
    }
    columns = List.copyOf(columns);
    species = List.copyOf(species);
    if (mean.length != dim + columns.size() || scale.length != mean.length) {
      throw new IllegalArgumentException("need one mean and scale per feature");
    }
  }

  /** Features per particle. */
  public int features() {
    return dim + columns.size();
  }

  /** Pooling slots of the encoder (one per species, at least one). */
  public int slots() {
    return Math.max(1, species.size());
  }

  /**
   * Fits the normalisation on training frames: mean and standard deviation per feature over all
   * particles, except that the position columns share one scale (their pooled standard deviation)
   * so distances keep their shape.
   */
  /** Integer labels first, by value, then the others alphabetically. */
  static int compareLabels(String a, String b) {
    boolean na = a.matches("\\d{1,9}");
    boolean nb = b.matches("\\d{1,9}");
    if (na && nb) {
      return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
    }
    return na != nb ? (na ? -1 : 1) : a.compareTo(b);
  }

  public static SetFeatures fit(
      List<ParticleFrame> frames, List<String> columns, boolean centered, boolean aligned) {
    ParticleFrame first = frames.get(0);
    int dim = first.dim();
    int f = dim + columns.size();
    double[] sum = new double[f];
    double[] sq = new double[f];
    long count = 0;
    // slot order must not depend on which frame came first (training shuffles): sorted, integer
    // labels by value, so a feed's species indices 0..k name slots 0..k
    java.util.TreeSet<String> labels = new java.util.TreeSet<>(SetFeatures::compareLabels);
    for (ParticleFrame frame : frames) {
      if (frame.dim() != dim) {
        throw new IllegalArgumentException(
            "frames mix " + dim + " and " + frame.dim() + " position columns");
      }
      labels.addAll(frame.speciesLabels());
      float[] row = new float[f];
      Placement place = Placement.of(frame, centered, aligned);
      for (int i = 0; i < frame.n(); i++) {
        values(frame, columns, i, place, row);
        for (int k = 0; k < f; k++) {
          sum[k] += row[k];
          sq[k] += row[k] * row[k];
        }
      }
      count += frame.n();
    }
    if (count == 0) {
      throw new IllegalArgumentException("no particles in the training frames");
    }
    double[] mean = new double[f];
    double[] scale = new double[f];
    double posVar = 0;
    for (int k = 0; k < f; k++) {
      mean[k] = sum[k] / count;
      double var = Math.max(sq[k] / count - mean[k] * mean[k], 0);
      if (k < dim) {
        posVar += var / dim;
      } else {
        scale[k] = var > 1e-12 ? Math.sqrt(var) : 1;
      }
    }
    for (int k = 0; k < dim; k++) {
      scale[k] = posVar > 1e-12 ? Math.sqrt(posVar) : 1;
    }
    List<String> species = labels.size() > 1 ? List.copyOf(labels) : List.of();
    return new SetFeatures(dim, columns, species, mean, scale, centered, aligned);
  }

  /**
   * Where a microstate's positions are measured from (its centroid, or the origin) and along which
   * axes (rows of a dim x dim orthogonal matrix; null = the data's own axes).
   */
  record Placement(double[] origin, double[] axes) {

    /**
     * @throws IllegalArgumentException naming the first particle with a non-finite position
     */
    static Placement of(ParticleFrame frame, boolean centered, boolean aligned) {
      int dim = frame.dim();
      double[] origin = new double[dim];
      if (!centered) {
        return new Placement(origin, null);
      }
      float[] p = frame.positions();
      for (int i = 0; i < frame.n(); i++) {
        for (int k = 0; k < dim; k++) {
          if (!Float.isFinite(p[i * dim + k])) {
            throw new IllegalArgumentException(
                "particle " + i + " has a non-finite value (" + p[i * dim + k] + ")");
          }
          origin[k] += p[i * dim + k];
        }
      }
      for (int k = 0; k < dim; k++) {
        origin[k] /= Math.max(1, frame.n());
      }
      return new Placement(origin, aligned ? PrincipalAxes.of(p, frame.n(), dim, origin) : null);
    }

    /** Coordinate k of point i in this placement. */
    double coordinate(float[] p, int dim, int i, int k) {
      if (axes == null) {
        return p[i * dim + k] - origin[k];
      }
      double v = 0;
      for (int j = 0; j < dim; j++) {
        v += axes[k * dim + j] * (p[i * dim + j] - origin[j]);
      }
      return v;
    }
  }

  /**
   * Raw feature values of particle i (positions in {@code place}, then the extra columns) into
   * {@code row}.
   */
  static void values(
      ParticleFrame frame, List<String> columns, int i, Placement place, float[] row) {
    int dim = frame.dim();
    for (int k = 0; k < dim; k++) {
      row[k] = (float) place.coordinate(frame.positions(), dim, i, k);
    }
    for (int c = 0; c < columns.size(); c++) {
      float[] column = frame.columns().get(columns.get(c));
      if (column == null) {
        throw new IllegalArgumentException(
            "frame has no per-particle column '" + columns.get(c) + "'");
      }
      row[dim + c] = column[i];
    }
  }

  /** Slot of particle i of a frame. */
  int slot(ParticleFrame frame, int i) {
    if (species.isEmpty()) {
      return 0;
    }
    int s = frame.species() == null ? -1 : species.indexOf(frame.species()[i]);
    if (s < 0) {
      throw new IllegalArgumentException(
          "unknown species '"
              + (frame.species() == null ? "(none)" : frame.species()[i])
              + "': the model knows "
              + species);
    }
    return s;
  }

  /**
   * Pads frames into one batch: features (B, N, F) normalised and zero-padded, and a slot mask (B,
   * N, S) with a 1 where particle n of set b belongs to slot s.
   *
   * @throws IllegalArgumentException for NaN/Inf values, unknown species or missing columns
   */
  public SetBatch pad(List<ParticleFrame> frames) {
    int b = frames.size();
    int n = frames.stream().mapToInt(ParticleFrame::n).max().orElse(0);
    int f = features();
    int s = slots();
    float[] x = new float[b * n * f];
    float[] mask = new float[b * n * s];
    float[] row = new float[f];
    int[] counts = new int[b];
    for (int k = 0; k < b; k++) {
      ParticleFrame frame = frames.get(k);
      counts[k] = frame.n();
      if (frame.dim() != dim) {
        throw new IllegalArgumentException(
            "frame has " + frame.dim() + " position columns, the model expects " + dim);
      }
      if (frame.n() == 0) {
        throw new IllegalArgumentException("empty microstate (no particles)");
      }
      Placement place = Placement.of(frame, centered, aligned);
      for (int i = 0; i < frame.n(); i++) {
        values(frame, columns, i, place, row);
        for (int c = 0; c < f; c++) {
          if (!Float.isFinite(row[c])) {
            throw new IllegalArgumentException(
                "particle " + i + " has a non-finite value (" + row[c] + ")");
          }
          x[(k * n + i) * f + c] = (float) ((row[c] - mean[c]) / scale[c]);
        }
        mask[(k * n + i) * s + slot(frame, i)] = 1;
      }
    }
    return new SetBatch(b, n, f, s, x, mask, counts);
  }
}
