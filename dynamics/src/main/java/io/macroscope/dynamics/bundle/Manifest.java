package io.macroscope.dynamics.bundle;

import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a model bundle: everything needed to serve the ONNX files in it and
 * to know what their numbers mean.
 *
 * @param formatVersion bundle format version ({@value ModelBundle#FORMAT_VERSION})
 * @param method {@code dynamics-ae} or {@code closure}
 * @param version release version of this bundle
 * @param createdAt ISO-8601 creation time
 * @param input what the encoder reads
 * @param latentDim latent dimension d
 * @param macroNames names of macroscopic observables in the state (empty for Dynamics-AE)
 * @param dt model time per input step
 * @param diffusion the SDE's diffusion convention
 * @param normalization what is done to raw inputs before the encoder: (x - mean) / scale
 * @param files the network files with their SHA-256 and tensor names
 * @param training hyperparameters and final metrics of the training run
 * @param latentSupport statistics of the training data's latent states (for out-of-distribution
 *     checks)
 * @param alignment similarity transform to the previous release, or null
 * @param encoderSpec shape of the encoder network, to rebuild it for the PyTorch engine
 * @param closure what a closure model needs beyond the common fields (null for Dynamics-AE)
 */
public record Manifest(
    int formatVersion,
    String method,
    String version,
    String createdAt,
    InputSpec input,
    int latentDim,
    List<String> macroNames,
    double dt,
    Diffusion diffusion,
    Normalization normalization,
    Map<String, FileEntry> files,
    Map<String, Object> training,
    LatentSupport latentSupport,
    Map<String, Object> alignment,
    io.macroscope.dynamics.nn.MlpSpec encoderSpec,
    ClosureSpec closure) {

  /**
   * @param kind {@code vector} (shape [F]) or {@code image} (shape [C, H, W])
   * @param shape shape of one input
   */
  public record InputSpec(String kind, List<Integer> shape) {
    /** Values per input. */
    public int size() {
      return shape.stream().reduce(1, (a, b) -> a * b);
    }
  }

  /**
   * @param convention {@code overdamped-langevin}: ds = f(s) dt + sqrt(2 D) dW
   * @param coefficient D
   * @param constant whether D is constant (no diffusion network in the bundle). A Dynamics-AE
   *     bundle with {@code constant = false} has a {@code diffusion} network giving log diag M(z),
   *     and its moves are ds = (M f + D dM/ds) dt + sqrt(2 D M dt) eps (Itô)
   */
  public record Diffusion(String convention, double coefficient, boolean constant) {}

  /** Per-feature (x - mean) / scale. */
  public record Normalization(List<Double> mean, List<Double> scale) {}

  /**
   * @param path file name inside the bundle
   * @param sha256 hex SHA-256 of the file
   * @param input name of the ONNX input tensor
   * @param output name of the ONNX output tensor
   */
  public record FileEntry(String path, String sha256, String input, String output) {}

  /** Per-dimension mean, standard deviation, minimum and maximum of training latents. */
  public record LatentSupport(
      List<Double> mean, List<Double> std, List<Double> min, List<Double> max) {

    /**
     * How far {@code z} lies outside the training latents' bounding box, per dimension in units of
     * the training standard deviation (Euclidean over dimensions); 0 inside the box.
     */
    public double distance(float[] z) {
      double sum = 0;
      for (int k = 0; k < z.length; k++) {
        double below = min.get(k) - z[k];
        double above = z[k] - max.get(k);
        double out = Math.max(0, Math.max(below, above));
        double scale = std.get(k) > 0 ? std.get(k) : 1;
        sum += (out / scale) * (out / scale);
      }
      return Math.sqrt(sum);
    }
  }

  /**
   * The closure model's set encoder and state normalisation.
   *
   * @param encoder {@code deepset} or {@code set-transformer} (null in bundles written before the
   *     Set Transformer: a DeepSet)
   * @param phi per-particle network of the set encoder
   * @param rho set network
   * @param slots pooling slots (species; 1 without species)
   * @param positionDims position columns per particle
   * @param columns extra per-particle feature columns, in order after the positions
   * @param species species labels in slot order (empty without species)
   * @param latentMean latent part of the state: (z - mean) / scale
   * @param latentScale see latentMean
   * @param macroMean macro part of the state: (m - mean) / scale
   * @param macroScale see macroMean
   * @param dynamics shape of the drift network (and of the diffusion network when stochastic)
   * @param stochastic whether the bundle has a diffusion network (SDE) or not (ODE)
   * @param centered positions are taken relative to each microstate's centroid before the
   *     normalisation (absent in earlier bundles: false)
   * @param aligned the centred positions are turned onto each microstate's principal axes (see
   *     {@code SetFeatures}; absent in earlier bundles: false)
   */
  public record ClosureSpec(
      String encoder,
      io.macroscope.dynamics.nn.MlpSpec phi,
      io.macroscope.dynamics.nn.MlpSpec rho,
      int slots,
      int positionDims,
      List<String> columns,
      List<String> species,
      List<Double> latentMean,
      List<Double> latentScale,
      List<Double> macroMean,
      List<Double> macroScale,
      io.macroscope.dynamics.nn.MlpSpec dynamics,
      boolean stochastic,
      boolean centered,
      boolean aligned) {}
}
