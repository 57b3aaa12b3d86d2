package io.macroscope.dynamics.sim;

import java.util.SplittableRandom;

/**
 * Renders a fluorescent point source as a microscope camera sees it: a Gaussian point-spread
 * function of width {@code psfSigma} pixels on a constant background, with Poisson shot noise, as
 * unsigned 16-bit counts. World coordinates in [lo, hi]^2 map linearly onto the image.
 */
public final class SpotRenderer {

  private final int size;
  private final double lo;
  private final double hi;
  private final double psfSigma;
  private final double peakPhotons;
  private final double backgroundPhotons;
  private final SplittableRandom random;

  /**
   * @param size image width and height in pixels
   * @param lo world coordinate at the first pixel centre
   * @param hi world coordinate at the last pixel centre
   * @param psfSigma PSF standard deviation in pixels
   * @param peakPhotons expected photons at the spot centre (above background)
   * @param backgroundPhotons expected background photons per pixel
   * @param seed shot-noise seed
   */
  public SpotRenderer(
      int size,
      double lo,
      double hi,
      double psfSigma,
      double peakPhotons,
      double backgroundPhotons,
      long seed) {
    if (size < 2 || !(hi > lo) || !(psfSigma > 0)) {
      throw new IllegalArgumentException("need size >= 2, hi > lo and psfSigma > 0");
    }
    this.size = size;
    this.lo = lo;
    this.hi = hi;
    this.psfSigma = psfSigma;
    this.peakPhotons = peakPhotons;
    this.backgroundPhotons = backgroundPhotons;
    this.random = new SplittableRandom(seed);
  }

  /** Image side length in pixels. */
  public int size() {
    return size;
  }

  /** Renders the spot at world position (x, y) into row-major u16 counts (length size^2). */
  public short[] render(double x, double y) {
    double scale = (size - 1) / (hi - lo);
    double cx = (x - lo) * scale;
    double cy = (y - lo) * scale;
    double inv = 1.0 / (2 * psfSigma * psfSigma);
    short[] image = new short[size * size];
    for (int row = 0; row < size; row++) {
      double dy = row - cy;
      for (int col = 0; col < size; col++) {
        double dx = col - cx;
        double mean = backgroundPhotons + peakPhotons * Math.exp(-(dx * dx + dy * dy) * inv);
        image[row * size + col] = (short) Math.min(65535, poisson(mean));
      }
    }
    return image;
  }

  /** Poisson sample: Knuth's product method for small means, a rounded normal for large ones. */
  private long poisson(double mean) {
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    long k = 0;
    double p = random.nextDouble();
    while (p > limit) {
      k++;
      p *= random.nextDouble();
    }
    return k;
  }
}
