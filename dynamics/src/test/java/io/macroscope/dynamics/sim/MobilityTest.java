package io.macroscope.dynamics.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Overdamped Langevin dynamics with a position-dependent mobility, against closed forms. */
class MobilityTest {

  private static final Mobility2D MOBILITY = Mobility2D.tanhAlongX(0.5, 0.5);

  /** V = (x^2 + y^2) / 2: with kT = 1 the stationary density is a standard normal per axis. */
  private static final Potential2D HARMONIC =
      new Potential2D() {
        @Override
        public double energy(double x, double y) {
          return 0.5 * (x * x + y * y);
        }

        @Override
        public void gradient(double x, double y, double[] out) {
          out[0] = x;
          out[1] = y;
        }
      };

  @Test
  void shouldMatchTheMobilityDerivativeToFiniteDifferences() {
    double[] m = new double[4];
    double[] plus = new double[4];
    double[] minus = new double[4];
    double h = 1e-6;
    for (double x : new double[] {-1.3, -0.2, 0.0, 0.4, 2.0}) {
      MOBILITY.at(x, 0.7, m);
      MOBILITY.at(x + h, 0.7, plus);
      MOBILITY.at(x - h, 0.7, minus);
      assertEquals((plus[0] - minus[0]) / (2 * h), m[2], 1e-6);
      assertEquals(m[0], m[1], 0.0);
      assertEquals(0.0, m[3], 0.0);
    }
  }

  @Test
  void shouldDiffuseLocallyAsTheMobilitySays() {
    OverdampedLangevin2D walker = new OverdampedLangevin2D(HARMONIC, MOBILITY, 1.0, 1e-3, 0, 0, 3);
    double[] m = new double[4];
    double[] ratio = new double[2]; // sum over x > 0.5 of dx^2 / (2 m dt), and the count
    double[] low = new double[2]; // the same over x < -0.5
    for (int i = 0; i < 400_000; i++) {
      double x = walker.x();
      MOBILITY.at(x, walker.y(), m);
      walker.advance(1);
      double dx = walker.x() - x;
      double[] into = x > 0.5 ? ratio : x < -0.5 ? low : null;
      if (into != null) {
        into[0] += dx * dx / (2 * m[0] * 1e-3);
        into[1]++;
      }
    }
    // m is 1.4-1.65 on one side and 0.6-0.7 on the other; without it in the noise these are ~0.65
    // and ~1.5
    assertEquals(1.0, ratio[0] / ratio[1], 0.03, "x > 0.5");
    assertEquals(1.0, low[0] / low[1], 0.03, "x < -0.5");
  }

  @Test
  void shouldKeepTheBoltzmannDensityThanksToTheItoTerm() {
    OverdampedLangevin2D walker = new OverdampedLangevin2D(HARMONIC, MOBILITY, 1.0, 1e-3, 0, 0, 5);
    walker.advance(10_000);
    int n = 20_000; // 2,000 time units, one sample every 0.1
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      walker.advance(100);
      sum += walker.x();
      squares += walker.x() * walker.x();
    }
    double mean = sum / n;
    // Without the kT dm/dx drift the density would be exp(-V) / m: mean x -0.36 (measured).
    assertEquals(0.0, mean, 0.07, "mean of x");
    assertEquals(1.0, squares / n - mean * mean, 0.1, "variance of x");
  }
}
