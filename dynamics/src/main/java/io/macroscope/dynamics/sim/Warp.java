package io.macroscope.dynamics.sim;

/**
 * Smooth invertible maps of the plane that distort a simulated trajectory the way an imperfect
 * observation would, so a method has to undo them to recover the true coordinates.
 */
public enum Warp {
  /** No distortion. */
  NONE {
    @Override
    public void apply(double x, double y, double[] out) {
      out[0] = x;
      out[1] = y;
    }
  },
  /** x' = x, y' = y + x^2: the reference warp of the Dynamics-AE paper's three-well example. */
  PARABOLIC {
    @Override
    public void apply(double x, double y, double[] out) {
      out[0] = x;
      out[1] = y + x * x;
    }
  },
  /** A swirl: rotation by an angle that grows with the distance from (0, 0.5), 0.6 rad per unit. */
  SWIRL {
    @Override
    public void apply(double x, double y, double[] out) {
      double dy = y - 0.5;
      double angle = 0.6 * Math.hypot(x, dy);
      double c = Math.cos(angle);
      double s = Math.sin(angle);
      out[0] = c * x - s * dy;
      out[1] = s * x + c * dy + 0.5;
    }
  };

  /** Writes the warped point of (x, y) into {@code out[0..1]}. */
  public abstract void apply(double x, double y, double[] out);

  /** Parses a warp name as used on the command line ({@code parabolic}, {@code swirl}, ...). */
  public static Warp parse(String name) {
    for (Warp w : values()) {
      if (w.name().equalsIgnoreCase(name.replace('-', '_'))) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "unknown warp '" + name + "': use one of none, parabolic, swirl");
  }
}
