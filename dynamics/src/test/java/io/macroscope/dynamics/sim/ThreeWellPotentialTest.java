package io.macroscope.dynamics.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThreeWellPotentialTest {

  private final ThreeWellPotential potential = new ThreeWellPotential();

  @Test
  void shouldMatchFiniteDifferenceGradient() {
    double[] g = new double[2];
    double h = 1e-6;
    for (double[] p : new double[][] {{0.3, -0.4}, {-1.1, 0.2}, {0.05, 1.6}, {1.7, 2.1}}) {
      potential.gradient(p[0], p[1], g);
      double gx = (potential.energy(p[0] + h, p[1]) - potential.energy(p[0] - h, p[1])) / (2 * h);
      double gy = (potential.energy(p[0], p[1] + h) - potential.energy(p[0], p[1] - h)) / (2 * h);
      assertEquals(gx, g[0], 1e-6);
      assertEquals(gy, g[1], 1e-6);
    }
  }

  @Test
  void shouldHaveDeepWellsBelowTheBarrier() {
    assertTrue(potential.energy(1.0, 0.0) < potential.energy(0.0, 0.33) - 3);
    assertTrue(potential.energy(-1.0, 0.0) < potential.energy(0.0, 0.33) - 3);
    assertTrue(potential.energy(0.0, 1.6) < potential.energy(0.0, 1.0));
  }

  @Test
  void shouldReproduceTrajectoryForSameSeedAndVisitBothDeepWells() {
    OverdampedLangevin2D a = new OverdampedLangevin2D(potential, 1.0, 1e-3, 1, 0, 7);
    OverdampedLangevin2D b = new OverdampedLangevin2D(potential, 1.0, 1e-3, 1, 0, 7);
    boolean left = false;
    boolean right = false;
    for (int i = 0; i < 4000; i++) {
      a.advance(50);
      b.advance(50);
      assertEquals(a.x(), b.x());
      left |= a.x() < -0.7;
      right |= a.x() > 0.7;
    }
    assertTrue(left && right, "200 time units at kT=1 should cross the barrier");
  }

  @Test
  void shouldRenderSpotBrightestAtItsPosition() {
    SpotRenderer renderer = new SpotRenderer(32, -2, 2, 1.5, 2000, 10, 1);
    short[] image = renderer.render(1.0, -1.0); // col ~ 23.25, row ~ 7.75
    int best = 0;
    for (int i = 1; i < image.length; i++) {
      if (Short.toUnsignedInt(image[i]) > Short.toUnsignedInt(image[best])) {
        best = i;
      }
    }
    assertEquals(8, best / 32, 1);
    assertEquals(23, best % 32, 1);
    assertTrue(Short.toUnsignedInt(image[0]) < 40, "background stays near 10 photons");
  }
}
