package io.macroscope.dynamics.ae;

/**
 * Hyperparameters of Dynamics-AE training. Defaults are the public reference configuration of the
 * three-well example (d = 2, 32-unit nets with three hidden layers, L = 50, d_min = 5, gamma = 2,
 * batch 256, 50 epochs, Adam lr 1e-3 for both optimisers, beta = 10, 80/20 split).
 *
 * <p>Diffusion convention (fixes the latent scale, used everywhere in Macroscope): overdamped
 * Langevin dynamics with unit diffusion D = 1 and unit time step per frame, so a prior move is
 * {@code f(z) + sqrt(2) eps}, eps ~ N(0, I).
 *
 * @param latentDim latent dimension d
 * @param hidden units per hidden layer of encoder and decoder
 * @param hiddenLayers hidden layers of encoder and decoder
 * @param priorHidden units per hidden layer of the force field
 * @param projections sliced-Wasserstein projections L
 * @param dMin regular-space clustering distance in latent units
 * @param gamma well-tempered resampling exponent
 * @param batchSize minibatch size
 * @param epochs epochs, including the warm-up epoch 0
 * @param learningRate Adam learning rate after epoch 0, both optimisers
 * @param warmupLearningRate Adam learning rate during epoch 0
 * @param beta weight of the sliced-Wasserstein term (beta / 100 during epoch 0)
 * @param trainFraction share of the pairs used for training; the rest is validation
 * @param seed seed of the split, initialisation, batches and noise
 */
public record DynamicsAeConfig(
    int latentDim,
    int hidden,
    int hiddenLayers,
    int priorHidden,
    int projections,
    double dMin,
    double gamma,
    int batchSize,
    int epochs,
    float learningRate,
    float warmupLearningRate,
    double beta,
    double trainFraction,
    long seed) {

  /** Diffusion coefficient of the latent Langevin prior (unit per frame; see class doc). */
  public static final double DIFFUSION = 1.0;

  public DynamicsAeConfig {
    require(latentDim >= 1, "latent dimension must be >= 1");
    require(hidden >= 1 && hiddenLayers >= 1 && priorHidden >= 1, "network sizes must be >= 1");
    require(projections >= 1, "projections must be >= 1");
    require(dMin > 0, "d_min must be > 0");
    require(gamma >= 1, "gamma must be >= 1");
    require(batchSize >= 2, "batch size must be >= 2");
    require(epochs >= 1, "epochs must be >= 1");
    require(learningRate > 0 && warmupLearningRate > 0, "learning rates must be > 0");
    require(beta >= 0, "beta must be >= 0");
    require(trainFraction > 0 && trainFraction < 1, "train fraction must be in (0, 1)");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The reference configuration with the given latent dimension. */
  public static DynamicsAeConfig reference(int latentDim) {
    return new DynamicsAeConfig(
        latentDim, 32, 3, 32, 50, 5.0, 2.0, 256, 50, 1e-3f, 1e-4f, 10.0, 0.8, 0);
  }

  public DynamicsAeConfig withEpochs(int value) {
    return new DynamicsAeConfig(
        latentDim,
        hidden,
        hiddenLayers,
        priorHidden,
        projections,
        dMin,
        gamma,
        batchSize,
        value,
        learningRate,
        warmupLearningRate,
        beta,
        trainFraction,
        seed);
  }

  public DynamicsAeConfig withSeed(long value) {
    return new DynamicsAeConfig(
        latentDim,
        hidden,
        hiddenLayers,
        priorHidden,
        projections,
        dMin,
        gamma,
        batchSize,
        epochs,
        learningRate,
        warmupLearningRate,
        beta,
        trainFraction,
        value);
  }

  public DynamicsAeConfig withBatchSize(int value) {
    return new DynamicsAeConfig(
        latentDim,
        hidden,
        hiddenLayers,
        priorHidden,
        projections,
        dMin,
        gamma,
        value,
        epochs,
        learningRate,
        warmupLearningRate,
        beta,
        trainFraction,
        seed);
  }

  public DynamicsAeConfig withDMin(double value) {
    return new DynamicsAeConfig(
        latentDim,
        hidden,
        hiddenLayers,
        priorHidden,
        projections,
        value,
        gamma,
        batchSize,
        epochs,
        learningRate,
        warmupLearningRate,
        beta,
        trainFraction,
        seed);
  }

  public DynamicsAeConfig withBeta(double value) {
    return new DynamicsAeConfig(
        latentDim,
        hidden,
        hiddenLayers,
        priorHidden,
        projections,
        dMin,
        gamma,
        batchSize,
        epochs,
        learningRate,
        warmupLearningRate,
        value,
        trainFraction,
        seed);
  }
}
