package io.macroscope.dynamics.sim;

/**
 * A simulated fluorescence movie: a point source diffusing in the three-well potential (overdamped
 * Langevin), seen through a Gaussian point-spread function on a background with Poisson shot noise,
 * optionally through a nonlinear optical distortion (the warp applied to the spot's position before
 * rendering), as 16-bit frames. Our stand-in for the paper's DNA movie; the true (x, y) of every
 * frame is kept as ground truth.
 *
 * @param frames row-major (T, size, size) photon counts
 * @param truth true positions, row-major (T, 2)
 * @param count number of frames T
 * @param size frame side in pixels
 */
public record SpotVideo(float[] frames, double[] truth, int count, int size) {

  /**
   * @param count frames T
   * @param size frame side (64 for the reference conv nets)
   * @param distortion optical distortion of the position (NONE for a perfect microscope)
   * @param psfSigma PSF width in pixels
   * @param peakPhotons photons at the spot centre above background
   * @param backgroundPhotons background photons per pixel
   * @param stride integration steps (dt = 1e-3, kT = 1) per frame
   * @param seed seed of the motion and of the shot noise
   */
  public static SpotVideo simulate(
      int count,
      int size,
      Warp distortion,
      double psfSigma,
      double peakPhotons,
      double backgroundPhotons,
      int stride,
      long seed) {
    ThreeWellTrajectory path =
        ThreeWellTrajectory.simulate(count, 1.0, 1e-3, stride, distortion, seed);
    // The field of view covers the three wells with a margin, also after the distortion.
    SpotRenderer renderer =
        new SpotRenderer(size, -2.2, 2.8, psfSigma, peakPhotons, backgroundPhotons, seed + 1);
    float[] frames = new float[count * size * size];
    double[] observed = path.observed();
    for (int t = 0; t < count; t++) {
      short[] image = renderer.render(observed[2 * t], observed[2 * t + 1] - 0.3);
      for (int i = 0; i < image.length; i++) {
        frames[t * size * size + i] = Short.toUnsignedInt(image[i]);
      }
    }
    return new SpotVideo(frames, path.truth(), count, size);
  }
}
