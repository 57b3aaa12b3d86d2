package io.macroscope.dynamics.ae;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * A trained autoencoder — Dynamics-AE (with the prior's force field) or the beta-VAE baseline —
 * with the input normalisation it was trained on and its training history. For the beta-VAE the
 * encoder outputs (mean, log-variance) and the latent is the mean. Closing it frees the networks.
 */
public final class TrainedAutoencoder implements AutoCloseable {

  /** Which method trained the networks. */
  public enum Method {
    DYNAMICS_AE,
    BETA_VAE
  }

  private final Method method;
  private final Model autoencoder;
  private final Model prior;
  private final float[] mean;
  private final float[] scale;
  private final DynamicsAeConfig config;
  private final List<EpochStats> history;
  private final int[] imageShape;
  private final int keptEpoch;

  TrainedAutoencoder(
      Method method,
      Model autoencoder,
      Model prior,
      float[] mean,
      float[] scale,
      DynamicsAeConfig config,
      List<EpochStats> history,
      int[] imageShape,
      int keptEpoch) {
    this.method = method;
    this.autoencoder = autoencoder;
    this.prior = prior;
    this.mean = mean;
    this.scale = scale;
    this.config = config;
    this.history = List.copyOf(history);
    this.imageShape = imageShape == null ? null : imageShape.clone();
    this.keptEpoch = keptEpoch;
  }

  /** The epoch whose networks these are (the best by validation objective, or the last). */
  public int keptEpoch() {
    return keptEpoch;
  }

  /** (channels, height, width) when trained with the convolutional networks, else empty. */
  public java.util.Optional<int[]> imageShape() {
    return java.util.Optional.ofNullable(imageShape).map(int[]::clone);
  }

  public Method method() {
    return method;
  }

  public DynamicsAeConfig config() {
    return config;
  }

  public List<EpochStats> history() {
    return history;
  }

  /** Per-feature mean subtracted from inputs before encoding. */
  public float[] inputMean() {
    return mean.clone();
  }

  /** Per-feature standard deviation inputs are divided by before encoding. */
  public float[] inputScale() {
    return scale.clone();
  }

  public AutoencoderBlock block() {
    return (AutoencoderBlock) autoencoder.getBlock();
  }

  /** The prior's force-field network f(z); absent for the beta-VAE. */
  public java.util.Optional<ai.djl.nn.Block> forceField() {
    return java.util.Optional.ofNullable(prior)
        .map(p -> LangevinPrior.forceField(p.getBlock(), config));
  }

  /**
   * The prior's log-diffusion network g(z) = log diag M(z); present only when trained with {@link
   * DynamicsAeConfig#diffusion()}.
   */
  public java.util.Optional<ai.djl.nn.Block> logDiffusion() {
    return java.util.Optional.ofNullable(prior)
        .map(p -> LangevinPrior.logDiffusion(p.getBlock(), config));
  }

  /** The prior's force f(z) at {@code n} latent points (n x d, row-major). */
  public float[] force(float[] z, int n) {
    return priorColumns(z, n, 0);
  }

  /**
   * The prior's diagonal diffusion multiplier M(z) at {@code n} latent points (n x d, row-major):
   * all ones unless trained with {@link DynamicsAeConfig#diffusion()}.
   */
  public float[] diffusion(float[] z, int n) {
    if (prior != null && !config.diffusion().positionDependent()) {
      float[] ones = new float[n * config.latentDim()];
      java.util.Arrays.fill(ones, 1f);
      return ones;
    }
    float[] g = priorColumns(z, n, 1);
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) Math.exp(g[i]);
    }
    return g;
  }

  /**
   * Mean of the prior's one-frame move from each of {@code n} latent points (n x d, row-major):
   * f(z), or M f + D dM/dz with a position-dependent diffusion (as in training).
   */
  public float[] moveMean(float[] z, int n) {
    requirePrior();
    try (NDManager manager = prior.getNDManager().newSubManager()) {
      ParameterStore store = new ParameterStore(manager, false);
      NDArray points = manager.create(z, new Shape(n, config.latentDim()));
      return LangevinPrior.moves(
              in -> prior.getBlock().forward(store, new NDList(in), false).singletonOrThrow(),
              points,
              config)
          .mean()
          .toFloatArray();
    }
  }

  private void requirePrior() {
    if (prior == null) {
      throw new IllegalStateException("the " + method + " model has no prior");
    }
  }

  /** Part {@code part} (0: force, 1: log-diffusion) of the prior network's output at z. */
  private float[] priorColumns(float[] z, int n, int part) {
    requirePrior();
    int d = config.latentDim();
    try (NDManager manager = prior.getNDManager().newSubManager()) {
      NDArray points = manager.create(z, new Shape(n, d));
      NDArray out =
          prior
              .getBlock()
              .forward(new ParameterStore(manager, false), new NDList(points), false)
              .singletonOrThrow();
      if (config.diffusion().positionDependent()) {
        out = out.get(new ai.djl.ndarray.index.NDIndex(":, {}:{}", part * d, (part + 1) * d));
      }
      return out.toFloatArray();
    }
  }

  /** Encodes {@code n} raw (unnormalised) inputs, row-major, to latent rows (n x d). */
  public float[] encode(float[] inputs, int n) {
    int features = mean.length;
    float[] out = new float[n * config.latentDim()];
    int chunk = Batching.inferenceChunk(mean.length);
    try (NDManager manager = autoencoder.getNDManager().newSubManager()) {
      ParameterStore store = new ParameterStore(manager, false);
      for (int start = 0; start < n; start += chunk) {
        int rows = Math.min(chunk, n - start);
        float[] slice = new float[rows * features];
        for (int i = 0; i < rows; i++) {
          for (int f = 0; f < features; f++) {
            slice[i * features + f] = (inputs[(start + i) * features + f] - mean[f]) / scale[f];
          }
        }
        try (NDManager batch = manager.newSubManager()) {
          NDArray x = batch.create(slice, new Shape(rows, features));
          NDArray z = block().encoder().forward(store, new NDList(x), false).singletonOrThrow();
          if (method == Method.BETA_VAE) {
            z = z.get(new ai.djl.ndarray.index.NDIndex(":, 0:{}", config.latentDim()));
          }
          float[] values = z.toFloatArray();
          System.arraycopy(values, 0, out, start * config.latentDim(), values.length);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    autoencoder.close();
    if (prior != null) {
      prior.close();
    }
  }
}
