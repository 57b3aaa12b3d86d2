package io.macroscope.dynamics.sim;

/**
 * The classic two-dimensional three-well ("three-hole") potential: two deep wells near (±1, 0), a
 * shallower one near (0, 5/3), a barrier bump at (0, 1/3) and a quartic confinement:
 *
 * <pre>
 * V = 3 g(x, y - 1/3) - 3 g(x, y - 5/3) - 5 g(x - 1, y) - 5 g(x + 1, y)
 *     + 0.2 x^4 + 0.2 (y - 1/3)^4,          g(u, v) = exp(-u^2 - v^2)
 * </pre>
 *
 * In units of kT it has metastable wells separated by barriers of a few kT at kT ~ 1.
 */
public final class ThreeWellPotential implements Potential2D {

  private static double g(double u, double v) {
    return Math.exp(-u * u - v * v);
  }

  @Override
  public double energy(double x, double y) {
    double y3 = y - 1.0 / 3.0;
    return 3 * g(x, y3)
        - 3 * g(x, y - 5.0 / 3.0)
        - 5 * g(x - 1, y)
        - 5 * g(x + 1, y)
        + 0.2 * Math.pow(x, 4)
        + 0.2 * Math.pow(y3, 4);
  }

  @Override
  public void gradient(double x, double y, double[] out) {
    double y3 = y - 1.0 / 3.0;
    double y53 = y - 5.0 / 3.0;
    double a = 3 * g(x, y3);
    double b = -3 * g(x, y53);
    double c = -5 * g(x - 1, y);
    double d = -5 * g(x + 1, y);
    // d/du exp(-u^2 - v^2) = -2u exp(...)
    out[0] = -2 * x * a - 2 * x * b - 2 * (x - 1) * c - 2 * (x + 1) * d + 0.8 * x * x * x;
    out[1] = -2 * y3 * a - 2 * y53 * b - 2 * y * c - 2 * y * d + 0.8 * y3 * y3 * y3;
  }
}
