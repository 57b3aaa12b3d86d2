package io.macroscope.dynamics.sim;

/**
 * A long overdamped-Langevin trajectory in the three-well potential, sampled every {@code stride}
 * integration steps, with the true (x, y) and the warped observation of every frame.
 *
 * @param truth true coordinates, row-major (T, 2)
 * @param observed warped coordinates, row-major (T, 2)
 * @param frames number of frames T
 */
public record ThreeWellTrajectory(double[] truth, double[] observed, int frames) {

  /**
   * Simulates {@code frames} frames.
   *
   * @param kT temperature
   * @param dt integration step
   * @param stride integration steps per frame
   * @param warp observation distortion
   * @param seed noise seed
   */
  public static ThreeWellTrajectory simulate(
      int frames, double kT, double dt, int stride, Warp warp, long seed) {
    return simulate(frames, kT, dt, stride, warp, null, seed);
  }

  /**
   * As {@link #simulate(int, double, double, int, Warp, long)}, with a position-dependent mobility
   * (null: constant).
   */
  public static ThreeWellTrajectory simulate(
      int frames, double kT, double dt, int stride, Warp warp, Mobility2D mobility, long seed) {
    if (frames < 2 || stride < 1) {
      throw new IllegalArgumentException("need frames >= 2 and stride >= 1");
    }
    OverdampedLangevin2D walker =
        new OverdampedLangevin2D(new ThreeWellPotential(), mobility, kT, dt, -1.0, 0.0, seed);
    walker.advance(stride * 100); // forget the starting point
    double[] truth = new double[frames * 2];
    double[] observed = new double[frames * 2];
    double[] w = new double[2];
    for (int t = 0; t < frames; t++) {
      walker.advance(stride);
      truth[2 * t] = walker.x();
      truth[2 * t + 1] = walker.y();
      warp.apply(walker.x(), walker.y(), w);
      observed[2 * t] = w[0];
      observed[2 * t + 1] = w[1];
    }
    return new ThreeWellTrajectory(truth, observed, frames);
  }

  /** The warped observations as model inputs: (T, 2) row-major, float. */
  public float[] observedFloats() {
    float[] out = new float[observed.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) observed[i];
    }
    return out;
  }
}
