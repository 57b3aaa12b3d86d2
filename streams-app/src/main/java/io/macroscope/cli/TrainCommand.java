package io.macroscope.cli;

import io.macroscope.dynamics.ae.BetaVaeTrainer;
import io.macroscope.dynamics.ae.DynamicsAeConfig;
import io.macroscope.dynamics.ae.DynamicsAeTrainer;
import io.macroscope.dynamics.ae.EpochStats;
import io.macroscope.dynamics.ae.TrainedAutoencoder;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.data.Npy;
import io.macroscope.dynamics.data.NpyArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope train ...}: offline training of the learned models. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains a model from files and writes a model bundle.",
    subcommands = {TrainCommand.DynamicsAe.class, TrainCommand.Closure.class})
final class TrainCommand {

  /** {@code macroscope train dynamics-ae}. */
  @Command(
      name = "dynamics-ae",
      mixinStandardHelpOptions = true,
      description = {
        "Trains a dynamics-constrained autoencoder on one ordered trajectory (.npy, shape (T, F) "
            + "or (T, ...) flattened per frame) and writes a model bundle (manifest.json + ONNX). "
            + "Defaults are the reference configuration. With --baseline beta-vae the beta-VAE is "
            + "trained instead and its latent trajectory is written to --out (a .npy file)."
      })
  static final class DynamicsAe implements Callable<Integer> {

    @Option(
        names = "--input",
        required = true,
        paramLabel = "FILE",
        description = "Trajectory: .npy (T, ...), image folder or TIFF stack.")
    Path input;

    @Option(
        names = "--latent-dim",
        defaultValue = "2",
        description = "Latent dimension d (default: ${DEFAULT-VALUE}).")
    int latentDim;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "BUNDLE",
        description = "Bundle directory to create.")
    Path out;

    @Option(
        names = "--epochs",
        defaultValue = "50",
        description = "Epochs incl. the warm-up (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
        names = "--batch",
        description = "Batch size (default: 256 for vectors, as the reference; 64 for frames).")
    Integer batch;

    @Option(
        names = "--beta",
        defaultValue = "10",
        description = "Weight of the SW term (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(
        names = "--projections",
        defaultValue = "50",
        description = "SW projections L (default: ${DEFAULT-VALUE}).")
    int projections;

    @Option(
        names = "--dmin",
        defaultValue = "5",
        description = "Clustering distance d_min (default: ${DEFAULT-VALUE}).")
    double dMin;

    @Option(
        names = "--gamma",
        defaultValue = "2",
        description = "Well-tempered exponent (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(
        names = "--lr",
        description =
            "Learning rate after the warm-up (default: 0.001 for vectors, 0.0003 for frames).")
    Float lr;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--threads",
        defaultValue = "1",
        description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
        names = "--hidden",
        description = "Hidden units n (default: 32 for vectors, 256 for 64x64 frames).")
    Integer hidden;

    @Option(
        names = "--scaling",
        defaultValue = "RAW",
        description =
            "Input scaling: raw (as the reference; image frames use unit_range unless told "
                + "otherwise), standardize or unit_range"
                + " (default: ${DEFAULT-VALUE}).")
    DynamicsAeConfig.Scaling scaling;

    @Option(
        names = "--warmup-epochs",
        description =
            "Epochs of the warm-up (beta/100, warm-up rate, shuffled batches; default: 1 for"
                + " vectors, as the reference; 3 for frames, at most epochs - 1).")
    Integer warmupEpochs;

    @Option(
        names = "--warmup-lr",
        description =
            "Learning rate of the warm-up (default: 0.0001 for vectors, 0.001 for frames).")
    Float warmupLr;

    @Option(
        names = "--rescale-latent",
        negatable = true,
        description =
            "After the warm-up, put the latent on the diffusion scale (moves of mean square 2dD)"
                + " in one function-preserving step (default: off for vectors, on for frames).")
    Boolean rescaleLatent;

    @Option(
        names = "--diffusion",
        paramLabel = "constant|position|coupled",
        defaultValue = "constant",
        description =
            "Latent diffusion of the prior: constant (D = 1, the reference; default); position (the"
                + " prior also learns a diagonal M(z), and rollouts move"
                + " by M f + dM/dz + sqrt(2M) eps; the encoder still matches unit-diffusion moves;"
                + " written to the bundle as diffusion.onnx); coupled (M also in the encoder's SW"
                + " term, the paper's general form; loses the latent's geometry, see README).")
    String diffusion;

    @Option(
        names = "--spots",
        paramLabel = "K",
        description =
            "Decoder for 64x64 frames: K >= 1 draws K Gaussian spots over a learned background"
                + " (the splat decoder, default for frames: 1); 0 is the reference convolutional"
                + " decoder. Vectors ignore it.")
    Integer spots;

    @Option(
        names = "--keep-last",
        description =
            "Keep the last epoch's networks instead of the epoch with the lowest validation"
                + " objective (reconstruction + beta * binned SW).")
    boolean keepLast;

    @Option(
        names = "--baseline",
        paramLabel = "beta-vae",
        description = "Train a baseline instead: beta-vae.")
    String baseline;

    @Override
    public Integer call() throws IOException {
      Threads.configure(threads);
      if (java.nio.file.Files.exists(out)) {
        throw new IllegalArgumentException(out + " already exists: choose a new --out");
      }
      NpyArray data = io.macroscope.dynamics.data.Inputs.read(input);
      if (data.shape().length < 2 || data.rows() < 2) {
        throw new IllegalArgumentException(
            input
                + ": need an array of shape (T, ...) with T >= 2, got "
                + java.util.Arrays.toString(data.shape()));
      }
      int[] image = imageShape(data.shape());
      // Frames start from the image schedule, vectors from the reference; options given win.
      DynamicsAeConfig.Builder builder =
          (image != null ? DynamicsAeConfig.imageBuilder() : DynamicsAeConfig.builder())
              .setLatentDim(latentDim)
              .optEpochs(epochs)
              .optBeta(beta)
              .optProjections(projections)
              .optDMin(dMin)
              .optGamma(gamma)
              .optSeed(seed)
              .optKeepBest(!keepLast);
      if (warmupEpochs != null) {
        builder.optWarmupEpochs(warmupEpochs);
      } else if (image != null) {
        builder.optWarmupEpochs(
            Math.max(1, Math.min(DynamicsAeConfig.IMAGE_WARMUP_EPOCHS, epochs - 1)));
      }
      if (batch != null) {
        builder.optBatchSize(batch);
      }
      if (lr != null) {
        builder.optLearningRate(lr);
      }
      if (warmupLr != null) {
        builder.optWarmupLearningRate(warmupLr);
      }
      if (rescaleLatent != null) {
        builder.optRescaleAfterWarmup(rescaleLatent);
      }
      if (hidden != null) {
        builder.optHidden(hidden, 3);
      }
      if (spots != null) {
        builder.optSpots(spots);
      }
      switch (diffusion) {
        case "constant" -> builder.optDiffusion(DynamicsAeConfig.Diffusion.CONSTANT);
        case "position" -> builder.optDiffusion(DynamicsAeConfig.Diffusion.POSITION);
        case "coupled" -> builder.optDiffusion(DynamicsAeConfig.Diffusion.COUPLED);
        default ->
            throw new IllegalArgumentException(
                "unknown --diffusion '" + diffusion + "': use constant, position or coupled");
      }
      // --scaling raw is the default and means "the input's own choice": unit range for frames.
      if (image == null || scaling != DynamicsAeConfig.Scaling.RAW) {
        builder.optScaling(scaling);
      }
      DynamicsAeConfig config = builder.build();
      int frames = data.rows();
      int features = data.rowSize();
      System.out.printf("training on %s: %d frames x %d features%n", input, frames, features);
      Consumer<EpochStats> progress = new Progress(epochs);
      long start = System.nanoTime();
      if (baseline != null) {
        if (!baseline.equals("beta-vae")) {
          throw new IllegalArgumentException("unknown --baseline '" + baseline + "': use beta-vae");
        }
        try (TrainedAutoencoder vae =
            new BetaVaeTrainer(config, 1.0, progress).fit(data.data(), frames, features)) {
          Npy.write(out, new int[] {frames, latentDim}, vae.encode(data.data(), frames));
        }
        System.out.printf("beta-VAE latent trajectory written to %s%n", out);
        return 0;
      }
      DynamicsAeTrainer trainer = new DynamicsAeTrainer(config, progress);
      try (TrainedAutoencoder model =
          image == null
              ? trainer.fit(data.data(), frames, features)
              : trainer.fitImages(data.data(), frames, image[0], image[1], image[2])) {
        EpochStats kept = model.history().get(model.keptEpoch());
        ModelBundle.write(
            out,
            model,
            "v1",
            Map.of(
                "validation_reconstruction", kept.validationReconstruction(),
                "validation_prior_nll", kept.validationPriorNll(),
                "validation_objective", kept.validationObjective(),
                "kept_epoch", (double) model.keptEpoch(),
                "training_seconds", (System.nanoTime() - start) / 1e9),
            data.data());
        System.out.printf(
            "kept epoch %d (validation objective %.4f)%n",
            model.keptEpoch(), kept.validationObjective());
      }
      System.out.printf("bundle written to %s (%.1f s)%n", out, (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }

  /** {@code macroscope train closure}. */
  @Command(
      name = "closure",
      mixinStandardHelpOptions = true,
      description = {
        "Trains a permutation-invariant closure model on particle trajectories (a "
            + "directory of extended XYZ files, one trajectory each): a DeepSet encoder with a "
            + "conditional spline-flow decoder on the particles' kernel density, then an SDE "
            + "(or ODE) of (z, macro) on the frozen encodings. Writes a model bundle "
            + "(manifest.json + ONNX encoder/drift/diffusion). With --baseline, a baseline of "
            + "the paper is trained in the same harness instead."
      })
  static final class Closure implements Callable<Integer> {

    @Option(
        names = "--input",
        required = true,
        paramLabel = "DIR",
        description =
            "Trajectories: a directory of .xyz files or LAMMPS dumps (.lammpstrj / .dump, macros"
                + " from <name>.log beside each), or one file.")
    Path input;

    @Option(
        names = "--macro",
        required = true,
        split = ",",
        paramLabel = "KEY",
        description = "Macro observable(s) read from every frame's comment line, e.g. energy.")
    List<String> macros;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "BUNDLE",
        description = "Bundle directory to create.")
    Path out;

    @Option(
        names = "--ode",
        description =
            "Deterministic dynamics (squared error of unrolled rollouts) instead of the SDE.")
    boolean ode;

    @Option(
        names = "--sde",
        description = "Stochastic dynamics with learned diagonal diffusion (the default).")
    boolean sde;

    @Option(
        names = "--latent-dim",
        defaultValue = "4",
        description = "Latent dimension d (default: ${DEFAULT-VALUE}).")
    int latentDim;

    @Option(
        names = "--encoder",
        defaultValue = "deepset",
        paramLabel = "KIND",
        description =
            "Set encoder: deepset or set-transformer (4 heads, 16 inducing points)"
                + " (default: ${DEFAULT-VALUE}).")
    String encoder;

    @Option(
        names = "--sigma",
        defaultValue = "0.1",
        description = "Kernel-density bandwidth in data units (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(
        names = "--samples",
        paramLabel = "N",
        description =
            "Monte-Carlo samples of the kernel density per set and autoencoder step: more"
                + " lowers the noise of the reconstruction gradient at proportional cost, and the"
                + " cost does not depend on the particle count (default: about one per particle"
                + " of the first microstates, a power of two from 128 to 512).")
    Integer samples;

    @Option(
        names = "--epochs",
        defaultValue = "10",
        description = "Autoencoder epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
        names = "--dynamics-epochs",
        defaultValue = "100",
        description = "Dynamics epochs (default: ${DEFAULT-VALUE}).")
    int dynamicsEpochs;

    @Option(
        names = "--unroll",
        defaultValue = "10",
        description = "ODE: rollout steps fitted per window (default: ${DEFAULT-VALUE}).")
    int unroll;

    @Option(
        names = "--dynamics-noise",
        defaultValue = "0.2",
        description =
            "ODE: noise (normalised units) on each training window's initial state, a regulariser;"
                + " 0 = none (default: ${DEFAULT-VALUE}).")
    double dynamicsNoise;

    @Option(
        names = "--dynamics-restarts",
        defaultValue = "4",
        description =
            "Fit the dynamics this many times on the same encodings from different random starts;"
                + " 1 = one fit, as the streaming trainer does (default: ${DEFAULT-VALUE}).")
    int dynamicsRestarts;

    @Option(
        names = "--dynamics-average",
        negatable = true,
        description =
            "With --dynamics-restarts K > 1: keep the mean of the K fitted drifts (one network K"
                + " times as wide, a forecast ~2.7x dearer); --no-dynamics-average keeps the"
                + " fit with the best validation score instead (default: on when K > 1).")
    Boolean dynamicsAverage;

    @Option(
        names = "--sde-steps",
        defaultValue = "3",
        description =
            "SDE: fit the Euler-Maruyama likelihood to increments over this many frames; 1 = the"
                + " paper's one-step fit (default: ${DEFAULT-VALUE}).")
    int sdeSteps;

    @Option(
        names = "--joint-epochs",
        defaultValue = "0",
        description =
            "Epochs of a joint fine-tune after the autoencoder stage: reconstruction + lambda x a"
                + " one-step dynamics loss (the paper's general form); 0 = two-stage training"
                + " (default: ${DEFAULT-VALUE}).")
    int jointEpochs;

    @Option(
        names = "--joint-weight",
        defaultValue = "100",
        description =
            "lambda of the joint fine-tune, on the one-step residual in units of each state"
                + " component's typical move (default: ${DEFAULT-VALUE}).")
    double jointWeight;

    @Option(
        names = "--center",
        description =
            "Encode positions relative to each snapshot's centroid: for systems that do not depend"
                + " on where the particles are (no walls or external field).")
    boolean center;

    @Option(
        names = "--align",
        description =
            "Also turn each snapshot onto its principal axes after centring (implies --center), so"
                + " rotated or mirrored copies encode alike: for systems that do not change under"
                + " rotations and reflections (isotropic pair forces, no walls or field).")
    boolean align;

    @Option(
        names = "--columns",
        split = ",",
        paramLabel = "NAME",
        description = "Extra per-particle columns used as features (e.g. intensity).")
    List<String> columns = List.of();

    @Option(
        names = "--lr",
        defaultValue = "0.001",
        description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--threads",
        defaultValue = "1",
        description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
        names = "--baseline",
        paramLabel = "NAME",
        description = "Train a baseline instead: ae-aug, ae-inve, ae-inve-cd or inve.")
    String baseline;

    @Override
    public Integer call() throws IOException {
      Threads.configure(threads);
      if (ode && sde) {
        throw new IllegalArgumentException("choose one of --ode and --sde");
      }
      if (java.nio.file.Files.exists(out)) {
        throw new IllegalArgumentException(out + " already exists: choose a new --out");
      }
      // settings are checked before the data are read
      var checked = config();
      var method = checked.method();
      var trajectories = io.macroscope.dynamics.particles.Trajectories.read(input);
      System.out.printf(
          "training %s on %d trajectories from %s (%d frames each, %d particles in the first)%n",
          method.label(),
          trajectories.size(),
          input,
          trajectories.get(0).size(),
          trajectories.get(0).get(0).n());
      var config = withSamplesFor(checked, trajectories);
      if (method == io.macroscope.dynamics.closure.ClosureMethod.CLOSURE) {
        System.out.printf(
            "%d kernel-density samples per set and step (--samples)%n", config.samplesPerSet());
      }
      long start = System.nanoTime();
      int[] fitsStarted = {0};
      try (var model =
          new io.macroscope.dynamics.closure.ClosureTrainer(
                  config,
                  e -> {
                    if (e.stage().equals("dynamics")) {
                      if (e.epoch() == 0 && config.dynamicsRestarts() > 1) {
                        System.out.printf(
                            "dynamics fit %d of %d%n", ++fitsStarted[0], config.dynamicsRestarts());
                      }
                      if (e.epoch() % 10 != 9 && e.epoch() != dynamicsEpochs - 1) {
                        return;
                      }
                    }
                    System.out.println(e.line());
                  })
              .fit(trajectories, macros, columns)) {
        if (method == io.macroscope.dynamics.closure.ClosureMethod.AE_AUG) {
          System.out.println("AE-Aug is a benchmark baseline without a set encoder: no bundle");
          return 0;
        }
        io.macroscope.dynamics.bundle.ClosureBundles.write(
            out,
            model,
            "v1",
            Map.of("training_seconds", (System.nanoTime() - start) / 1e9),
            io.macroscope.dynamics.particles.Trajectories.frameDt(trajectories),
            trajectories.get(0));
      }
      System.out.printf("bundle written to %s (%.1f s)%n", out, (System.nanoTime() - start) / 1e9);
      return 0;
    }

    /**
     * The settings for these trajectories: without {@code --samples}, the sample count of {@link
     * io.macroscope.dynamics.closure.ClosureConfig#samplesForParticles} for the mean particle count
     * of their first microstates.
     */
    io.macroscope.dynamics.closure.ClosureConfig withSamplesFor(
        io.macroscope.dynamics.closure.ClosureConfig config,
        List<List<io.macroscope.dynamics.particles.ParticleFrame>> trajectories) {
      if (samples != null) {
        return config;
      }
      double mean = trajectories.stream().mapToInt(t -> t.get(0).n()).average().orElse(0);
      return config.toBuilder()
          .optSamplesPerSet(io.macroscope.dynamics.closure.ClosureConfig.samplesForParticles(mean))
          .build();
    }

    /**
     * The training settings from the options: without {@code --dynamics-average} or its negation,
     * several dynamics fits are averaged.
     *
     * @throws IllegalArgumentException for settings that do not go together
     */
    io.macroscope.dynamics.closure.ClosureConfig config() {
      io.macroscope.dynamics.closure.ClosureMethod method =
          baseline == null
              ? io.macroscope.dynamics.closure.ClosureMethod.CLOSURE
              : io.macroscope.dynamics.closure.ClosureMethod.of(baseline);
      if (method == io.macroscope.dynamics.closure.ClosureMethod.CLOSURE && baseline != null) {
        throw new IllegalArgumentException("--baseline takes ae-aug, ae-inve, ae-inve-cd or inve");
      }
      var builder =
          io.macroscope.dynamics.closure.ClosureConfig.builder()
              .optMethod(method)
              .optLatentDim(latentDim)
              .optEncoder(io.macroscope.dynamics.closure.ClosureConfig.Encoder.of(encoder))
              .optDynamicsNoise(dynamicsNoise)
              .optDynamicsRestarts(dynamicsRestarts)
              .optDynamicsAverage(dynamicsAverage != null ? dynamicsAverage : dynamicsRestarts > 1)
              .optSdeSteps(sdeSteps)
              .optSigma(sigma)
              .optAutoencoderEpochs(epochs)
              .optDynamicsEpochs(dynamicsEpochs)
              .optUnroll(unroll)
              .optStochastic(!ode)
              .optLearningRate(lr)
              .optSeed(seed)
              .optCenter(center)
              .optAlign(align)
              .optJointEpochs(jointEpochs)
              .optJointWeight(jointWeight);
      if (samples != null) {
        builder.optSamplesPerSet(samples);
      }
      return builder.build();
    }
  }

  /**
   * (C, 64, 64) for image frames (T, 64, 64) or (T, C, 64, 64), null for vectors (T, F).
   *
   * @throws IllegalArgumentException for images of other sizes (the reference conv nets need 64x64)
   */
  static int[] imageShape(int[] shape) {
    if (shape.length == 2) {
      return null;
    }
    int c = shape.length == 4 ? shape[1] : 1;
    int h = shape[shape.length - 2];
    int w = shape[shape.length - 1];
    if (shape.length > 4 || h != 64 || w != 64) {
      throw new IllegalArgumentException(
          "image frames must be (T, 64, 64) or (T, C, 64, 64) for the convolutional networks, got "
              + java.util.Arrays.toString(shape));
    }
    return new int[] {c, h, w};
  }

  /** One progress line per epoch with a bar. */
  private record Progress(int epochs) implements Consumer<EpochStats> {
    @Override
    public void accept(EpochStats e) {
      int done = (int) Math.round(20.0 * (e.epoch() + 1) / epochs);
      System.out.printf(
          "epoch %3d/%d [%s%s] %s%n",
          e.epoch() + 1, epochs, "#".repeat(done), ".".repeat(20 - done), e.line());
    }
  }
}
