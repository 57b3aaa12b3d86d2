package io.macroscope.trainer;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.schemas.ParticleSnapshot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link ParticleSnapshot} and turns it into a {@link ParticleFrame}: the one reading of
 * snapshots shared by the streams-app (which encodes them) and the trainer (which learns from
 * them).
 */
public final class SnapshotFrames {

  private SnapshotFrames() {}

  /**
   * A validated snapshot.
   *
   * @param positions N x D positions
   * @param species species index per particle, or null
   * @param features extra per-particle columns by name
   */
  public record Decoded(
      ParticleSnapshot snapshot, float[] positions, int[] species, Map<String, float[]> features) {

    /**
     * As a particle frame; species index i is named {@code labels.get(i)} (species are left out
     * when {@code labels} is empty: a single-species model).
     *
     * @throws IllegalArgumentException when a species index has no label
     */
    public ParticleFrame toFrame(List<String> labels) {
      String[] names = null;
      if (species != null && !labels.isEmpty()) {
        names = new String[species.length];
        for (int i = 0; i < species.length; i++) {
          if (species[i] >= labels.size()) {
            throw new IllegalArgumentException(
                "species index " + species[i] + " has no label in " + labels);
          }
          names[i] = labels.get(species[i]);
        }
      }
      Map<String, String> info = new LinkedHashMap<>();
      snapshot.getMacros().forEach((k, v) -> info.put(k, Double.toString(v)));
      info.put("time", Double.toString(snapshot.getSimulationTime()));
      return new ParticleFrame(
          snapshot.getParticleCount(), snapshot.getSpatialDim(), positions, names, features, info);
    }
  }

  /**
   * @throws IllegalArgumentException with a one-line reason when the snapshot is inconsistent (a
   *     dimension other than 2 or 3, no particles, arrays of the wrong length, NaN or infinite
   *     values, a negative sequence or species index)
   */
  public static Decoded decode(ParticleSnapshot s) {
    int n = s.getParticleCount();
    int d = s.getSpatialDim();
    if (d != 2 && d != 3) {
      throw new IllegalArgumentException("spatialDim must be 2 or 3, got " + d);
    }
    if (n < 1) {
      throw new IllegalArgumentException("snapshot has " + n + " particles; at least 1 is needed");
    }
    if (s.getSequence() < 0) {
      throw new IllegalArgumentException("snapshot sequence " + s.getSequence() + " is negative");
    }
    float[] positions =
        floats(s.getPositions(), (long) n * d, "positions", "(N,D)=(" + n + "," + d + ")");
    int[] species = null;
    if (s.getSpecies() != null) {
      if (s.getSpecies().size() != n) {
        throw new IllegalArgumentException(
            "species has " + s.getSpecies().size() + " entries for " + n + " particles");
      }
      species = new int[n];
      for (int i = 0; i < n; i++) {
        species[i] = s.getSpecies().get(i);
        if (species[i] < 0) {
          throw new IllegalArgumentException("species index " + species[i] + " is negative");
        }
      }
    }
    Map<String, float[]> features = new LinkedHashMap<>();
    List<String> names = s.getFeatureNames();
    if (!names.isEmpty() || s.getFeatures() != null) {
      if (s.getFeatures() == null) {
        throw new IllegalArgumentException("featureNames " + names + " given but no features");
      }
      int f = names.size();
      float[] all =
          floats(s.getFeatures(), (long) n * f, "features", "(N,F)=(" + n + "," + f + ")");
      for (int j = 0; j < f; j++) {
        float[] column = new float[n];
        for (int i = 0; i < n; i++) {
          column[i] = all[i * f + j];
        }
        features.put(names.get(j), column);
      }
    }
    for (var macro : s.getMacros().entrySet()) {
      if (!Double.isFinite(macro.getValue())) {
        throw new IllegalArgumentException("macro " + macro.getKey() + " is " + macro.getValue());
      }
    }
    return new Decoded(s, positions, species, features);
  }

  private static float[] floats(ByteBuffer bytes, long count, String field, String shape) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (count > Integer.MAX_VALUE / 4 || b.remaining() != count * 4) {
      throw new IllegalArgumentException(
          field
              + " hold "
              + b.remaining()
              + " bytes, but "
              + shape
              + " float32 needs "
              + count * 4);
    }
    float[] out = new float[(int) count];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
      if (!Float.isFinite(out[i])) {
        throw new IllegalArgumentException(
            field + " value " + i + " is " + out[i] + " (NaN or infinite)");
      }
    }
    return out;
  }
}
