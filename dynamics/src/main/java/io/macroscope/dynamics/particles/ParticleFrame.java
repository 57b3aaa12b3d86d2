package io.macroscope.dynamics.particles;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One microstate: a set of {@code n} particles with {@code dim} position columns (2 or 3), an
 * optional species label per particle, optional extra numeric per-particle columns (e.g. pixel
 * intensity), and the frame's key=value information (macro observables such as {@code energy}).
 *
 * @param positions row-major (n, dim)
 * @param species one label per particle, or null when the frame has no species column
 * @param columns extra numeric per-particle columns by name, each of length n (insertion order)
 * @param info the comment line's key=value pairs except {@code Properties} (insertion order)
 */
public record ParticleFrame(
    int n,
    int dim,
    float[] positions,
    String[] species,
    Map<String, float[]> columns,
    Map<String, String> info) {

  public ParticleFrame {
    if (dim < 1 || dim > 3) {
      throw new IllegalArgumentException("positions need 1 to 3 columns, got " + dim);
    }
    if (positions.length != n * dim) {
      throw new IllegalArgumentException("positions must hold n * dim values");
    }
    if (species != null && species.length != n) {
      throw new IllegalArgumentException("species must have one label per particle");
    }
    for (var c : columns.entrySet()) {
      if (c.getValue().length != n) {
        throw new IllegalArgumentException("column " + c.getKey() + " must have n values");
      }
    }
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    info = Collections.unmodifiableMap(new LinkedHashMap<>(info));
  }

  /** A frame with positions and macro values only. */
  public static ParticleFrame of(int n, int dim, float[] positions, Map<String, Double> macros) {
    return new ParticleFrame(n, dim, positions, null, Map.of(), format(macros));
  }

  /** The same frame with other positions (same count and dimension). */
  public ParticleFrame withPositions(float[] newPositions) {
    return new ParticleFrame(n, dim, newPositions, species, columns, info);
  }

  /**
   * The same particles in another order: particle i of the result is particle {@code order[i]} of
   * this frame (positions, species and every column move together).
   */
  public ParticleFrame reordered(int[] order) {
    if (order.length != n) {
      throw new IllegalArgumentException("an order of " + n + " particles needs " + n + " indices");
    }
    float[] moved = new float[positions.length];
    String[] movedSpecies = species == null ? null : new String[n];
    Map<String, float[]> movedColumns = new LinkedHashMap<>();
    columns.forEach((k, v) -> movedColumns.put(k, new float[n]));
    for (int i = 0; i < n; i++) {
      int j = order[i];
      System.arraycopy(positions, j * dim, moved, i * dim, dim);
      if (movedSpecies != null) {
        movedSpecies[i] = species[j];
      }
      for (var c : columns.entrySet()) {
        movedColumns.get(c.getKey())[i] = c.getValue()[j];
      }
    }
    return new ParticleFrame(n, dim, moved, movedSpecies, movedColumns, info);
  }

  /** The same particles with other key=value information. */
  public ParticleFrame withInfo(Map<String, String> newInfo) {
    return new ParticleFrame(n, dim, positions, species, columns, newInfo);
  }

  /**
   * A macro observable from the comment line.
   *
   * @throws IllegalArgumentException if the frame has no such key or its value is not a number
   */
  public double macro(String name) {
    String value = info.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "no macro value '" + name + "' in the frame (keys: " + info.keySet() + ")");
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("macro value " + name + "=" + value + " is not a number");
    }
  }

  /** Distinct species labels in order of first appearance (empty without a species column). */
  public List<String> speciesLabels() {
    return species == null ? List.of() : Arrays.stream(species).distinct().toList();
  }

  static Map<String, String> format(Map<String, Double> macros) {
    Map<String, String> out = new LinkedHashMap<>();
    macros.forEach((k, v) -> out.put(k, Double.toString(v)));
    return out;
  }
}
