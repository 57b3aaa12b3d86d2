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
 * @param epochs epochs, including the warm-up epochs
 * @param learningRate Adam learning rate after the warm-up, both optimisers
 * @param warmupLearningRate Adam learning rate of the encoder/decoder during the warm-up
 * @param beta weight of the sliced-Wasserstein term (beta / 100 during the warm-up)
 * @param trainFraction share of the pairs used for training; the rest is validation
 * @param seed seed of the split, initialisation, batches and noise
 * @param scaling what is done to inputs before training: RAW as in the reference (whose beta
 *     assumes the data's own units; the choice changes the weight of the reconstruction term
 *     against beta * SW), STANDARDIZE per feature, or UNIT_RANGE (one global min/max to [0, 1], the
 *     natural choice for images)
 * @param keepBest keep the networks of the epoch (after the warm-up) with the lowest validation
 *     objective instead of the last epoch's; guards against a late loss spike (measured: one of six
 *     reference runs ended on a spike, latent error 0.34 instead of ~0.002)
 * @param warmupEpochs epochs trained as the reference's epoch 0 (beta / 100, the warm-up learning
 *     rate, shuffled batches); the reference has 1
 * @param rescaleAfterWarmup after the warm-up, put the latent on the diffusion convention's scale
 *     in one function-preserving step (encoder output times c, decoder input divided by c, with c
 *     chosen so the encoded training moves have mean square 2 d D) instead of leaving the SW term
 *     to stretch it over many epochs
 * @param diffusion the prior's diffusion: {@link Diffusion#CONSTANT} (M = I, the reference), or a
 *     learned position-dependent diagonal M(z) beside the force field ({@link Diffusion#POSITION},
 *     {@link Diffusion#COUPLED})
 * @param spots image decoder for frames: 0 for the reference convolutional decoder ({@link
 *     ConvNets}), K >= 1 for the {@link SplatDecoder} with K Gaussian spots; vectors ignore it
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
    long seed,
    Scaling scaling,
    boolean keepBest,
    int warmupEpochs,
    boolean rescaleAfterWarmup,
    Diffusion diffusion,
    int spots) {

  /** Input scaling modes. */
  public enum Scaling {
    RAW,
    STANDARDIZE,
    UNIT_RANGE
  }

  /**
   * The prior's diffusion. With a learned M(z) = exp(g(z)) the prior's moves are Gaussian with mean
   * {@code M f + D dM/dz} and variance {@code 2 D M} (Itô; the general form of the paper, Eq. 4-5),
   * and in the coupled form the geometric mean of M over the visited states is held at 1 by a
   * penalty in the prior's loss (there nothing else fixes the latent scale).
   */
  public enum Diffusion {
    /** M = I: the reference implementation's training, and the default. */
    CONSTANT,
    /**
     * M(z) fitted by the prior (and used by rollouts), while the encoder's SW term keeps comparing
     * with unit-diffusion moves, so the latent keeps the metric the convention gives it.
     */
    POSITION,
    /**
     * M(z) also in the encoder's SW term, as the paper's general form reads. Measured to lose the
     * latent's geometry: a diagonal M can absorb a conformal distortion of the latent (README).
     */
    COUPLED;

    /** Whether the prior learns M(z). */
    public boolean positionDependent() {
      return this != CONSTANT;
    }
  }

  /** Warm-up epochs of the schedule for frames ({@link #imageBuilder}). */
  public static final int IMAGE_WARMUP_EPOCHS = 3;

  /** Diffusion coefficient of the latent Langevin prior (unit per frame; see class doc). */
  public static final double DIFFUSION = 1.0;

  /**
   * Central-difference step, in latent units, of the divergence term dM/dz of a position-dependent
   * diffusion (a prior move is ~1.4 units), in training and in every bundle consumer.
   */
  public static final float DIFFERENCE_STEP = 1e-2f;

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
    require(diffusion != null, "diffusion must be given");
    require(spots >= 0, "spots must be >= 0 (0: the reference convolutional decoder)");
    require(
        warmupEpochs >= 1 && warmupEpochs <= epochs,
        "warm-up epochs must be between 1 and the number of epochs");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The reference configuration with the given latent dimension. */
  public static DynamicsAeConfig reference(int latentDim) {
    return builder().setLatentDim(latentDim).build();
  }

  /** A builder preset to the reference configuration; the latent dimension is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder preset to the schedule for 64x64 frames: the reference otherwise, but unit-range
   * inputs, n = 256, batch 64, warm-up rate 1e-3 for 3 epochs, rate 3e-4, the latent rescaled after
   * the warm-up, and the splat decoder with one spot. Measured on the simulated spot movie (6,000
   * frames, 10 epochs, seeds 0-3, README): similarity error 0.434 on average with the reference
   * convolutional decoder and one warm-up epoch, 0.616 with the reference schedule, and 0.251 with
   * this one, in about a third of the time.
   */
  public static Builder imageBuilder() {
    Builder b = new Builder();
    b.scaling = Scaling.UNIT_RANGE;
    b.hidden = 256;
    b.batchSize = 64;
    b.warmupLearningRate = 1e-3f;
    b.learningRate = 3e-4f;
    b.warmupEpochs = IMAGE_WARMUP_EPOCHS;
    b.rescaleAfterWarmup = true;
    b.spots = 1;
    return b;
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.latentDim = latentDim;
    b.hidden = hidden;
    b.hiddenLayers = hiddenLayers;
    b.priorHidden = priorHidden;
    b.projections = projections;
    b.dMin = dMin;
    b.gamma = gamma;
    b.batchSize = batchSize;
    b.epochs = epochs;
    b.learningRate = learningRate;
    b.warmupLearningRate = warmupLearningRate;
    b.beta = beta;
    b.trainFraction = trainFraction;
    b.seed = seed;
    b.scaling = scaling;
    b.keepBest = keepBest;
    b.warmupEpochs = warmupEpochs;
    b.rescaleAfterWarmup = rescaleAfterWarmup;
    b.diffusion = diffusion;
    b.spots = spots;
    return b;
  }

  /** Builder: {@code setLatentDim} is required, every {@code opt*} defaults to the reference. */
  public static final class Builder {
    private int latentDim = -1;
    private int hidden = 32;
    private int hiddenLayers = 3;
    private int priorHidden = 32;
    private int projections = 50;
    private double dMin = 5.0;
    private double gamma = 2.0;
    private int batchSize = 256;
    private int epochs = 50;
    private float learningRate = 1e-3f;
    private float warmupLearningRate = 1e-4f;
    private double beta = 10.0;
    private double trainFraction = 0.8;
    private long seed = 0;
    private Scaling scaling = Scaling.RAW;
    private boolean keepBest = true;
    private int warmupEpochs = 1;
    private boolean rescaleAfterWarmup = false;
    private Diffusion diffusion = Diffusion.CONSTANT;
    private int spots = 0;

    private Builder() {}

    public Builder setLatentDim(int value) {
      latentDim = value;
      return this;
    }

    public Builder optHidden(int units, int layers) {
      hidden = units;
      hiddenLayers = layers;
      return this;
    }

    public Builder optPriorHidden(int value) {
      priorHidden = value;
      return this;
    }

    public Builder optProjections(int value) {
      projections = value;
      return this;
    }

    public Builder optDMin(double value) {
      dMin = value;
      return this;
    }

    public Builder optGamma(double value) {
      gamma = value;
      return this;
    }

    public Builder optBatchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder optEpochs(int value) {
      epochs = value;
      return this;
    }

    public Builder optLearningRate(float value) {
      learningRate = value;
      return this;
    }

    public Builder optWarmupLearningRate(float value) {
      warmupLearningRate = value;
      return this;
    }

    public Builder optBeta(double value) {
      beta = value;
      return this;
    }

    public Builder optTrainFraction(double value) {
      trainFraction = value;
      return this;
    }

    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    public Builder optScaling(Scaling value) {
      scaling = value;
      return this;
    }

    public Builder optKeepBest(boolean value) {
      keepBest = value;
      return this;
    }

    public Builder optWarmupEpochs(int value) {
      warmupEpochs = value;
      return this;
    }

    public Builder optRescaleAfterWarmup(boolean value) {
      rescaleAfterWarmup = value;
      return this;
    }

    public Builder optDiffusion(Diffusion value) {
      diffusion = value;
      return this;
    }

    public Builder optSpots(int value) {
      spots = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public DynamicsAeConfig build() {
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
          seed,
          scaling,
          keepBest,
          warmupEpochs,
          rescaleAfterWarmup,
          diffusion,
          spots);
    }
  }
}
