package io.macroscope.dynamics.sim;

/**
 * A position-dependent diagonal mobility m(x, y) = (m_x, m_y), relative to the constant case: the
 * local diffusion is D_i = kT m_i, and the force -grad V moves a particle with velocity m_i times
 * the force. In Itô form the dynamics are dX_i = (-m_i dV/dX_i + kT dm_i/dX_i) dt + sqrt(2 kT m_i)
 * dW_i, so the density still relaxes to exp(-V / kT).
 */
public interface Mobility2D {

  /** Writes (m_x, m_y, dm_x/dx, dm_y/dy) at (x, y) into {@code out[0..3]}. */
  void at(double x, double y, double[] out);

  /**
   * A mobility that varies along x only, the same on both axes: m(x) = exp(a tanh(x / w)), which
   * runs from exp(-a) to exp(a) across a band of width ~2w around x = 0.
   */
  static Mobility2D tanhAlongX(double a, double w) {
    return (x, y, out) -> {
      double t = Math.tanh(x / w);
      double m = Math.exp(a * t);
      double dm = m * a * (1 - t * t) / w;
      out[0] = m;
      out[1] = m;
      out[2] = dm;
      out[3] = 0;
    };
  }
}
