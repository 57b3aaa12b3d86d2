package io.macroscope.dynamics.sim;

/** A smooth potential energy V(x, y) in two dimensions. */
public interface Potential2D {

  /** V at (x, y). */
  double energy(double x, double y);

  /** Writes the gradient (dV/dx, dV/dy) at (x, y) into {@code out[0..1]}. */
  void gradient(double x, double y, double[] out);
}
