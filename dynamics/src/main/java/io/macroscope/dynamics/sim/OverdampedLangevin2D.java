package io.macroscope.dynamics.sim;

import java.util.SplittableRandom;

/**
 * Overdamped Langevin dynamics dX = -grad V(X) dt + sqrt(2 kT) dW (unit friction), or with a
 * position-dependent mobility ({@link Mobility2D}) in Itô form, integrated with Euler–Maruyama.
 * Seeded and deterministic: the same seed gives the same trajectory.
 */
public final class OverdampedLangevin2D {

  private final Potential2D potential;
  private final double dt;
  private final double kT;
  private final double noise;
  private final Mobility2D mobility;
  private final double[] m = new double[4];
  private final SplittableRandom random;
  private final double[] gradient = new double[2];
  private double x;
  private double y;

  /**
   * @param potential the energy landscape
   * @param kT temperature in energy units (> 0)
   * @param dt integration step (> 0)
   * @param x0 initial x
   * @param y0 initial y
   * @param seed noise seed
   */
  public OverdampedLangevin2D(
      Potential2D potential, double kT, double dt, double x0, double y0, long seed) {
    this(potential, null, kT, dt, x0, y0, seed);
  }

  /**
   * @param mobility position-dependent mobility, or null for the constant (unit) one
   */
  public OverdampedLangevin2D(
      Potential2D potential,
      Mobility2D mobility,
      double kT,
      double dt,
      double x0,
      double y0,
      long seed) {
    if (!(kT > 0) || !(dt > 0)) {
      throw new IllegalArgumentException("kT and dt must be positive, got kT=" + kT + " dt=" + dt);
    }
    this.potential = potential;
    this.mobility = mobility;
    this.kT = kT;
    this.dt = dt;
    this.noise = Math.sqrt(2 * kT * dt);
    this.random = new SplittableRandom(seed);
    this.x = x0;
    this.y = y0;
  }

  /** Advances {@code steps} integration steps. */
  public void advance(int steps) {
    for (int i = 0; i < steps; i++) {
      potential.gradient(x, y, gradient);
      if (mobility == null) {
        x += -gradient[0] * dt + noise * random.nextGaussian();
        y += -gradient[1] * dt + noise * random.nextGaussian();
      } else {
        mobility.at(x, y, m);
        x +=
            (-m[0] * gradient[0] + kT * m[2]) * dt
                + noise * Math.sqrt(m[0]) * random.nextGaussian();
        y +=
            (-m[1] * gradient[1] + kT * m[3]) * dt
                + noise * Math.sqrt(m[1]) * random.nextGaussian();
      }
    }
  }

  public double x() {
    return x;
  }

  public double y() {
    return y;
  }
}
