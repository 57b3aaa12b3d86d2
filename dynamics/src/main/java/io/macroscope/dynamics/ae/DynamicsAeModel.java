package io.macroscope.dynamics.ae;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * A trained Dynamics-AE: encoder, decoder and the prior's force field, with the input normalisation
 * they were trained on and the training history. Closing it frees the networks.
 */
public final class DynamicsAeModel implements AutoCloseable {

  private final Model autoencoder;
  private final Model prior;
  private final float[] mean;
  private final float[] scale;
  private final DynamicsAeConfig config;
  private final List<EpochStats> history;

  DynamicsAeModel(
      Model autoencoder,
      Model prior,
      float[] mean,
      float[] scale,
      DynamicsAeConfig config,
      List<EpochStats> history) {
    this.autoencoder = autoencoder;
    this.prior = prior;
    this.mean = mean;
    this.scale = scale;
    this.config = config;
    this.history = List.copyOf(history);
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

  /** The force-field network f(z). */
  public ai.djl.nn.Block forceField() {
    return prior.getBlock();
  }

  /** Encodes {@code n} raw (unnormalised) inputs, row-major, to latent rows (n x d). */
  public float[] encode(float[] inputs, int n) {
    int features = mean.length;
    float[] out = new float[n * config.latentDim()];
    int chunk = 8192;
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
    prior.close();
  }
}
