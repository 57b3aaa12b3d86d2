package io.macroscope.trainer;

import io.macroscope.dynamics.ae.DynamicsAeConfig;
import io.macroscope.dynamics.ae.DynamicsAeTrainer;
import io.macroscope.dynamics.ae.TrainedAutoencoder;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.bundle.OnnxEncoder;
import io.macroscope.schemas.ModelMethod;
import io.macroscope.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Dynamics-AE run: the most active feed's latest frames, the most recent share held out; bundles
 * are judged by their relative reconstruction error on the held-out frames (see {@link
 * BundleScore}), which are also the alignment's reference batch.
 */
final class DynamicsAeRun implements LineRun {

  private static final Logger LOG = LoggerFactory.getLogger(DynamicsAeRun.class);

  private final TrainerSettings settings;
  private final FrameWindow window;
  private final int trainN;
  private final int holdout;
  private final float[] heldOut;

  private DynamicsAeRun(TrainerSettings settings, FrameWindow window) {
    this.settings = settings;
    this.window = window;
    int n = window.frames();
    this.holdout =
        Math.max(2, (int) Math.round(n * settings.doubleValue("trainer.holdout.fraction")));
    this.trainN = n - holdout;
    this.heldOut = window.tail(trainN);
  }

  static DynamicsAeRun read(TrainerSettings settings) {
    FrameWindow window =
        settings.get("trainer.input").isEmpty()
            ? FrameWindow.read(
                settings.clientConfigs(),
                settings.topics().of(Topics.FRAMES),
                Pattern.compile(settings.get("trainer.source")),
                settings.integer("trainer.window.frames"),
                Duration.ofSeconds(60))
            : FrameWindow.file(
                Path.of(settings.get("trainer.input")), settings.integer("trainer.window.frames"));
    int n = window.frames();
    if (n < settings.integer("trainer.min.frames")) {
      throw new IllegalStateException(
          "only " + n + " frames of " + window.sourceId() + " in the window (trainer.min.frames)");
    }
    return new DynamicsAeRun(settings, window);
  }

  @Override
  public ModelMethod method() {
    return ModelMethod.DYNAMICS_AE;
  }

  @Override
  public ModelBundle train(Path dir, String version, long seed, Map<String, String> lineage) {
    float[] trainFrames = window.head(trainN);
    int[] shape = window.shape();
    boolean image = shape[1] == 64 && shape[2] == 64;
    DynamicsAeConfig config =
        DynamicsAeConfig.builder()
            .setLatentDim(settings.integer("trainer.latent.dim"))
            .optEpochs(settings.integer("trainer.epochs"))
            .optBatchSize(Math.min(settings.integer("trainer.batch"), Math.max(8, trainN / 8)))
            .optSeed(seed)
            .optScaling(image ? DynamicsAeConfig.Scaling.UNIT_RANGE : DynamicsAeConfig.Scaling.RAW)
            .optSpots(image ? 1 : 0)
            .build();
    lineage.put("holdout_frames", Integer.toString(holdout));
    DynamicsAeTrainer trainer =
        new DynamicsAeTrainer(config, e -> LOG.info("{} {}", version, e.line()));
    try (TrainedAutoencoder model =
        image
            ? trainer.fitImages(trainFrames, trainN, shape[0], shape[1], shape[2])
            : trainer.fit(trainFrames, trainN, window.features())) {
      ModelBundle.write(dir, model, version, Map.of(), trainFrames);
    }
    return ModelBundle.read(dir);
  }

  @Override
  public Map<String, Double> score(ModelBundle bundle) {
    BundleScore s = BundleScore.of(bundle, heldOut, holdout);
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("reconstruction", s.reconstruction());
    out.put("prior_nll", s.priorNll());
    return out;
  }

  @Override
  public String gatedMetric() {
    return "reconstruction";
  }

  @Override
  public float[] reference(ModelBundle bundle) {
    try (OnnxEncoder encoder = new OnnxEncoder(bundle, 1)) {
      return encoder.encode(heldOut, holdout);
    }
  }

  @Override
  public int referenceRows() {
    return holdout;
  }

  @Override
  public Map<String, String> lineage() {
    return window.lineage();
  }
}
