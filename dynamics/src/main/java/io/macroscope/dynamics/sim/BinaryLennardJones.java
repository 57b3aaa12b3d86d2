package io.macroscope.dynamics.sim;

import io.macroscope.dynamics.particles.ParticleFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A 2D binary Lennard-Jones mixture (the symmetric mixture: sigma = 1, epsilon_AA = epsilon_BB = 1,
 * epsilon_AB = 1/2, cut and shifted at 2.5) in a box with reflective walls, thermostatted by
 * Brownian (overdamped Langevin) dynamics at temperature kT, so every run is stochastic. Particles
 * start on a jittered lattice; those left of a vertical boundary at {@code boundary * width} are
 * type A, the rest type B. As they interpenetrate, the macro observables rise: {@code mix_ab}, the
 * fraction of an A particle's neighbours (within {@code neighbourCutoff}) that are B, {@code
 * mix_ba} the converse, and {@code mixing}, their mean.
 *
 * @param width box width
 * @param height box height
 * @param density particles per unit area (N = round(density * width * height))
 * @param kT temperature
 * @param dt integration step
 * @param stride steps per recorded frame
 * @param neighbourCutoff neighbour radius for the mixing statistics
 */
public record BinaryLennardJones(
    double width,
    double height,
    double density,
    double kT,
    double dt,
    int stride,
    double neighbourCutoff) {

  public static final String MIXING = "mixing";
  public static final String MIX_AB = "mix_ab";
  public static final String MIX_BA = "mix_ba";
  private static final double CUTOFF = 2.5;
  private static final double MAX_FORCE = 50;

  /**
   * Defaults: a 10 x 10 box at density 0.6 (60 particles), kT = 1.5, dt = 1e-3, 100 steps/frame.
   */
  public static BinaryLennardJones defaults() {
    return new BinaryLennardJones(10, 10, 0.6, 1.5, 1e-3, 100, 1.5);
  }

  public BinaryLennardJones {
    if (!(width > 0 && height > 0 && density > 0 && kT > 0 && dt > 0 && neighbourCutoff > 0)
        || stride < 1) {
      throw new IllegalArgumentException("box, density, kT, dt and cutoff must be positive");
    }
  }

  /** Number of particles in the box. */
  public int particles() {
    return (int) Math.round(density * width * height);
  }

  /**
   * One trajectory of {@code frames} frames (frame 0 = the initial state) with the A/B boundary at
   * {@code boundary} (a fraction of the width, in (0, 1)).
   */
  public List<ParticleFrame> simulate(int frames, double boundary, long seed) {
    if (frames < 1 || !(boundary > 0 && boundary < 1)) {
      throw new IllegalArgumentException("need frames >= 1 and boundary in (0, 1)");
    }
    Random random = new Random(seed);
    int n = particles();
    double[] x = jitteredLattice(n, random);
    boolean[] isA = new boolean[n];
    String[] species = new String[n];
    for (int i = 0; i < n; i++) {
      isA[i] = x[2 * i] < boundary * width;
      species[i] = isA[i] ? "A" : "B";
    }
    double[] force = new double[2 * n];
    double noise = Math.sqrt(2 * kT * dt);
    List<ParticleFrame> out = new ArrayList<>(frames);
    for (int f = 0; f < frames; f++) {
      if (f > 0) {
        for (int s = 0; s < stride; s++) {
          forces(x, isA, force);
          for (int i = 0; i < n; i++) {
            x[2 * i] = reflect(x[2 * i] + dt * force[2 * i] + noise * random.nextGaussian(), width);
            x[2 * i + 1] =
                reflect(
                    x[2 * i + 1] + dt * force[2 * i + 1] + noise * random.nextGaussian(), height);
          }
        }
      }
      float[] positions = new float[2 * n];
      for (int i = 0; i < 2 * n; i++) {
        positions[i] = (float) x[i];
      }
      double[] mix = mixing(x, isA);
      Map<String, String> info = new LinkedHashMap<>();
      info.put(MIXING, Double.toString((mix[0] + mix[1]) / 2));
      info.put(MIX_AB, Double.toString(mix[0]));
      info.put(MIX_BA, Double.toString(mix[1]));
      info.put("time", Double.toString(f * stride * dt));
      info.put("boundary", Double.toString(boundary));
      out.add(new ParticleFrame(n, 2, positions, species.clone(), Map.of(), info));
    }
    return out;
  }

  /** {fraction of A's neighbours that are B, fraction of B's neighbours that are A}. */
  double[] mixing(double[] x, boolean[] isA) {
    int n = isA.length;
    double c2 = neighbourCutoff * neighbourCutoff;
    long[] neighbours = new long[2];
    long[] unlike = new long[2];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double dx = x[2 * i] - x[2 * j];
        double dy = x[2 * i + 1] - x[2 * j + 1];
        if (dx * dx + dy * dy < c2) {
          int ti = isA[i] ? 0 : 1;
          int tj = isA[j] ? 0 : 1;
          neighbours[ti]++;
          neighbours[tj]++;
          if (ti != tj) {
            unlike[ti]++;
            unlike[tj]++;
          }
        }
      }
    }
    return new double[] {
      neighbours[0] == 0 ? 0 : (double) unlike[0] / neighbours[0],
      neighbours[1] == 0 ? 0 : (double) unlike[1] / neighbours[1]
    };
  }

  private void forces(double[] x, boolean[] isA, double[] f) {
    java.util.Arrays.fill(f, 0);
    int n = isA.length;
    double c2 = CUTOFF * CUTOFF;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double dx = x[2 * i] - x[2 * j];
        double dy = x[2 * i + 1] - x[2 * j + 1];
        double r2 = dx * dx + dy * dy;
        if (r2 >= c2) {
          continue;
        }
        double eps = isA[i] == isA[j] ? 1.0 : 0.5;
        double inv2 = 1 / Math.max(r2, 0.25);
        double inv6 = inv2 * inv2 * inv2;
        // -dU/dr / r for U = 4 eps (r^-12 - r^-6); capped so a close start cannot explode
        double scalar = 24 * eps * inv6 * (2 * inv6 - 1) * inv2;
        double magnitude = Math.abs(scalar) * Math.sqrt(r2);
        if (magnitude > MAX_FORCE) {
          scalar *= MAX_FORCE / magnitude;
        }
        f[2 * i] += scalar * dx;
        f[2 * i + 1] += scalar * dy;
        f[2 * j] -= scalar * dx;
        f[2 * j + 1] -= scalar * dy;
      }
    }
  }

  private static double reflect(double v, double size) {
    if (v < 0) {
      v = -v;
    }
    if (v > size) {
      v = 2 * size - v;
    }
    return Math.min(Math.max(v, 0), size);
  }

  /** n points in n random cells of a near-square lattice over the box, jittered inside the cell. */
  private double[] jitteredLattice(int n, Random random) {
    int cols = (int) Math.ceil(Math.sqrt(n * width / height));
    int rows = (int) Math.ceil((double) n / cols);
    int[] cells = new int[cols * rows];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = i;
    }
    for (int i = cells.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = cells[i];
      cells[i] = cells[j];
      cells[j] = t;
    }
    double cw = width / cols;
    double ch = height / rows;
    double[] x = new double[2 * n];
    for (int i = 0; i < n; i++) {
      int c = cells[i] % cols;
      int r = cells[i] / cols;
      x[2 * i] = (c + 0.5 + 0.3 * (random.nextDouble() - 0.5)) * cw;
      x[2 * i + 1] = (r + 0.5 + 0.3 * (random.nextDouble() - 0.5)) * ch;
    }
    return x;
  }
}
