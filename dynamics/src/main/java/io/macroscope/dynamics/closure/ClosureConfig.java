package io.macroscope.dynamics.closure;

/**
 * Hyperparameters of closure-model training (the permutation-invariant autoencoder, then the latent
 * SDE or ODE of s = (z, m)), and of the baselines trained in the same harness.
 *
 * @param method what learns the latent state (the closure model or a baseline)
 * @param latentDim latent dimension d
 * @param encoder set encoder of the closure model and the set baselines: a DeepSet or a Set
 *     Transformer (4 heads, 16 inducing points)
 * @param hidden width of the set encoder's networks (phi: two hidden layers, rho: one)
 * @param sigma bandwidth of the Gaussian kernel density target, in data units
 * @param flowLayers spline flow layers of the decoder
 * @param flowBins spline bins per layer
 * @param flowHidden width of the flow's conditioner networks
 * @param samplesPerSet Monte-Carlo samples of the kernel density per set and step (cost does not
 *     grow with the particle count)
 * @param batchSets microstates per minibatch in the autoencoder stage
 * @param autoencoderEpochs epochs of the autoencoder stage
 * @param dynamicsEpochs epochs of the dynamics stage
 * @param dynamicsHidden width of the drift and diffusion networks (two hidden tanh layers)
 * @param dynamicsBatch transitions per minibatch in the dynamics stage
 * @param unroll ODE mode: steps of the rollout whose squared error is fitted (1 = the paper's
 *     one-step fit; longer unrolls keep long rollouts from drifting). The SDE always fits the
 *     one-step Euler-Maruyama likelihood
 * @param dynamicsNoise ODE mode: standard deviation of the Gaussian noise added to the initial
 *     state of every training window, in normalised state units (a regulariser; 0 = none). With 48
 *     training trajectories the unregularised d = 4 drift fitted its windows 12x better than the
 *     validation ones and rolled out 0.44 relative error; with 0.3, 0.28 (300 particles, seed 1:
 *     0.41, with 0.3 0.21, with 0.5 0.15; seed 2 with 0.5: 0.23). Default 0.2: with 200 training
 *     trajectories and the epoch chosen by validation rollouts, 0.2 beat 0.5 in every mean over
 *     seeds 1-2 (step-force, aligned; 40 particles: 0.044 / 0.073 / 0.088 against 0.056 / 0.075 /
 *     0.099, 300 particles: 0.050 / 0.057 / 0.038 against 0.054 / 0.069 / 0.049); 0.1 once diverged
 *     for three-component starts (0.256) (README)
 * @param dynamicsRestarts the dynamics stage is fitted this many times from different random
 *     initialisations and minibatch orders on the same encodings, and the fit with the best
 *     validation score is kept (ODE: macro error of whole validation rollouts; SDE: validation
 *     likelihood). 1 = one fit. The fit itself is a large share of the rollout error: on one
 *     300-particle encoder, four dynamics seeds gave 0.034-0.050 in-distribution (README)
 * @param dynamicsAverage with {@code dynamicsRestarts} K > 1: keep the mean of the K fitted drifts
 *     (and log-diffusions) instead of the best one, as one network K times as wide ({@link
 *     io.macroscope.dynamics.nn.MlpAverage}); averaging cancels part of each fit's own error where
 *     selection can only pick among them (300 particles, three seeds, K = 4: 0.032 / 0.053 / 0.028
 *     against 0.037 / 0.051 / 0.034 for the best fit; a forecast step costs ~5x more; README)
 * @param sdeSteps SDE mode: the Euler-Maruyama likelihood is fitted to k-frame increments, s_t+k ~
 *     N(s_t + k mu(s_t), k diag(sigma(s_t)^2)); 1 is the paper's one-step fit. A macro that
 *     fluctuates fast around a slower path (a mixing ratio from neighbour counts) looks like
 *     diffusion to a one-step fit, and that diffusion piles up over a long rollout; over k frames
 *     the fast part no longer grows with k and is read as the smaller diffusion it is. Default 3:
 *     on LJ mixing (60 trajectories, seeds 1-3, six runs) it lowered the in-distribution MMD from
 *     0.269 to 0.172 on average; the other test sets did not gain (different initialisation 0.359
 *     to 0.371, different N 0.298 to 0.348 with a wide spread) (README)
 * @param learningRate Adam learning rate of both stages
 * @param stochastic SDE (Euler-Maruyama likelihood, learned diagonal diffusion) or ODE (squared
 *     error, no diffusion)
 * @param trainFraction share of the trajectories used for training; the rest validates
 * @param seed seed of splits, initialisation, batches and noise
 * @param center every microstate's positions are taken relative to its centroid before they are
 *     encoded, for systems whose dynamics do not depend on where the particles are (free space,
 *     periodic boxes); off where walls or fields fix an origin. Step-force particles, 200
 *     trajectories, seeds 1-2: in-distribution rollout error 0.144 to 0.084 (InvE 0.139 to 0.093)
 *     (README)
 * @param align every microstate is also turned onto its principal axes after centring (decreasing
 *     variance, each axis towards the side of positive third moment), so rotated and mirrored
 *     copies of a microstate encode alike and the latent spends no dimensions on orientation; for
 *     systems whose dynamics and macros do not change under rotations and reflections (isotropic
 *     pair forces in free space). Implies {@code center}
 * @param jointEpochs closure model: epochs of a joint fine-tune after the autoencoder stage, in
 *     which the encoder and flow learn from the reconstruction loss plus {@code jointWeight} times
 *     a one-step dynamics loss of s = (z, m) through a transition net of their own (the paper's
 *     general form L_rec + lambda L_dyn); the dynamics stage then runs on the fine-tuned, frozen
 *     encoder. 0 = the paper's two-stage training
 * @param jointWeight lambda of the joint fine-tune; its dynamics loss is the mean squared one-step
 *     residual of each state component in units of that component's typical one-step move (at
 *     lambda = 1, a move not predicted at all costs one nat of reconstruction log-likelihood).
 *     Default 100: at 1 and 10 the term hardly moved the encoder (README)
 */
public record ClosureConfig(
    ClosureMethod method,
    int latentDim,
    Encoder encoder,
    int hidden,
    double sigma,
    int flowLayers,
    int flowBins,
    int flowHidden,
    int samplesPerSet,
    int batchSets,
    int autoencoderEpochs,
    int dynamicsEpochs,
    int dynamicsHidden,
    int dynamicsBatch,
    int unroll,
    double dynamicsNoise,
    int dynamicsRestarts,
    boolean dynamicsAverage,
    int sdeSteps,
    float learningRate,
    boolean stochastic,
    double trainFraction,
    long seed,
    boolean center,
    boolean align,
    int jointEpochs,
    double jointWeight) {

  /** Set encoder architectures. */
  public enum Encoder {
    DEEPSET("deepset"),
    SET_TRANSFORMER("set-transformer");

    private final String label;

    Encoder(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /**
     * @throws IllegalArgumentException naming the choices
     */
    public static Encoder of(String label) {
      for (Encoder e : values()) {
        if (e.label.equals(label)) {
          return e;
        }
      }
      throw new IllegalArgumentException(
          "unknown encoder '" + label + "' (deepset or set-transformer)");
    }
  }

  public ClosureConfig {
    require(encoder != null, "choose an encoder");
    require(latentDim >= 1 && hidden >= 1 && flowHidden >= 1, "network sizes must be >= 1");
    require(sigma > 0, "sigma must be > 0");
    require(flowLayers >= 1 && flowBins >= 2, "need >= 1 flow layer and >= 2 bins");
    require(samplesPerSet >= 1, "samples per set must be >= 1");
    require(batchSets >= 1 && dynamicsBatch >= 1, "batch sizes must be >= 1");
    require(autoencoderEpochs >= 0 && dynamicsEpochs >= 1, "need >= 1 dynamics epoch");
    require(learningRate > 0, "learning rate must be > 0");
    require(unroll >= 1, "unroll must be >= 1");
    require(dynamicsNoise >= 0, "dynamics noise must be >= 0");
    require(dynamicsRestarts >= 1, "dynamics restarts must be >= 1");
    require(
        !dynamicsAverage || dynamicsRestarts > 1,
        "averaging the dynamics needs several fits: set dynamics restarts (--dynamics-restarts) > 1");
    require(sdeSteps >= 1, "SDE steps must be >= 1");
    require(trainFraction > 0 && trainFraction <= 1, "train fraction must be in (0, 1]");
    require(jointEpochs >= 0 && jointWeight >= 0, "joint epochs and weight must be >= 0");
    center = center || align; // aligning turns the centred positions
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The kernel-density samples per set that offline training draws when not told: about one per
   * particle, as a power of two from 128 to 512, so the cost stays bounded whatever N is. Measured
   * at two sizes: at 300 particles 512 samples lowered the in-distribution rollout error against
   * 128 on 6 of 8 seeds (mean 0.0348 to 0.0314) at 2.8x the autoencoder stage's cost; at 40
   * particles they gained nothing (1 of 4 seeds better).
   *
   * @param meanParticles mean particle count of the training microstates
   */
  public static int samplesForParticles(double meanParticles) {
    int samples = 128;
    while (samples < meanParticles && samples < 512) {
      samples *= 2;
    }
    return samples;
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.method = method;
    b.latentDim = latentDim;
    b.encoder = encoder;
    b.hidden = hidden;
    b.sigma = sigma;
    b.flowLayers = flowLayers;
    b.flowBins = flowBins;
    b.flowHidden = flowHidden;
    b.samplesPerSet = samplesPerSet;
    b.batchSets = batchSets;
    b.autoencoderEpochs = autoencoderEpochs;
    b.dynamicsEpochs = dynamicsEpochs;
    b.dynamicsHidden = dynamicsHidden;
    b.dynamicsBatch = dynamicsBatch;
    b.unroll = unroll;
    b.dynamicsNoise = dynamicsNoise;
    b.dynamicsRestarts = dynamicsRestarts;
    b.dynamicsAverage = dynamicsAverage;
    b.sdeSteps = sdeSteps;
    b.learningRate = learningRate;
    b.stochastic = stochastic;
    b.trainFraction = trainFraction;
    b.seed = seed;
    b.center = center;
    b.align = align;
    b.jointEpochs = jointEpochs;
    b.jointWeight = jointWeight;
    return b;
  }

  /** Builder with defaults for every setting ({@code opt*}). */
  public static final class Builder {
    private ClosureMethod method = ClosureMethod.CLOSURE;
    private int latentDim = 4;
    private Encoder encoder = Encoder.DEEPSET;
    private int hidden = 64;
    private double sigma = 0.05;
    private int flowLayers = 4;
    private int flowBins = 8;
    private int flowHidden = 64;
    private int samplesPerSet = 128;
    private int batchSets = 32;
    private int autoencoderEpochs = 30;
    private int dynamicsEpochs = 100;
    private int dynamicsHidden = 64;
    private int dynamicsBatch = 256;
    private int unroll = 10;
    private double dynamicsNoise = 0.2;
    private int dynamicsRestarts = 1;
    private boolean dynamicsAverage;
    private int sdeSteps = 3;
    private float learningRate = 1e-3f;
    private boolean stochastic = true;
    private double trainFraction = 0.8;
    private long seed = 0;
    private boolean center = false;
    private boolean align = false;
    private int jointEpochs = 0;
    private double jointWeight = 100;

    private Builder() {}

    public Builder optMethod(ClosureMethod value) {
      method = value;
      return this;
    }

    public Builder optLatentDim(int value) {
      latentDim = value;
      return this;
    }

    public Builder optHidden(int value) {
      hidden = value;
      return this;
    }

    public Builder optSigma(double value) {
      sigma = value;
      return this;
    }

    public Builder optFlow(int layers, int bins, int width) {
      flowLayers = layers;
      flowBins = bins;
      flowHidden = width;
      return this;
    }

    public Builder optSamplesPerSet(int value) {
      samplesPerSet = value;
      return this;
    }

    public Builder optBatchSets(int value) {
      batchSets = value;
      return this;
    }

    public Builder optAutoencoderEpochs(int value) {
      autoencoderEpochs = value;
      return this;
    }

    public Builder optDynamicsEpochs(int value) {
      dynamicsEpochs = value;
      return this;
    }

    public Builder optDynamicsHidden(int value) {
      dynamicsHidden = value;
      return this;
    }

    public Builder optDynamicsBatch(int value) {
      dynamicsBatch = value;
      return this;
    }

    public Builder optUnroll(int value) {
      unroll = value;
      return this;
    }

    public Builder optDynamicsNoise(double value) {
      dynamicsNoise = value;
      return this;
    }

    public Builder optSdeSteps(int value) {
      sdeSteps = value;
      return this;
    }

    public Builder optLearningRate(float value) {
      learningRate = value;
      return this;
    }

    public Builder optStochastic(boolean value) {
      stochastic = value;
      return this;
    }

    public Builder optDynamicsRestarts(int value) {
      dynamicsRestarts = value;
      return this;
    }

    public Builder optDynamicsAverage(boolean value) {
      dynamicsAverage = value;
      return this;
    }

    public Builder optTrainFraction(double value) {
      trainFraction = value;
      return this;
    }

    public Builder optEncoder(Encoder value) {
      encoder = value;
      return this;
    }

    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    public Builder optCenter(boolean value) {
      center = value;
      return this;
    }

    public Builder optAlign(boolean value) {
      align = value;
      return this;
    }

    public Builder optJointEpochs(int value) {
      jointEpochs = value;
      return this;
    }

    public Builder optJointWeight(double value) {
      jointWeight = value;
      return this;
    }

    public ClosureConfig build() {
      return new ClosureConfig(
          method,
          latentDim,
          encoder,
          hidden,
          sigma,
          flowLayers,
          flowBins,
          flowHidden,
          samplesPerSet,
          batchSets,
          autoencoderEpochs,
          dynamicsEpochs,
          dynamicsHidden,
          dynamicsBatch,
          unroll,
          dynamicsNoise,
          dynamicsRestarts,
          dynamicsAverage,
          sdeSteps,
          learningRate,
          stochastic,
          trainFraction,
          seed,
          center,
          align,
          jointEpochs,
          jointWeight);
    }
  }
}
