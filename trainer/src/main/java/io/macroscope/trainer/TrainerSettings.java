package io.macroscope.trainer;

import io.macroscope.schemas.config.AppSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of the trainer service (see {@link AppSettings} for files and environment). */
public final class TrainerSettings extends AppSettings {

  /** Every key the trainer understands, besides the pass-through prefixes. */
  public static final List<Key> KEYS =
      withClusterKeys(
          new Key("trainer.id", "macroscope-trainer", "client id prefix of the trainer"),
          new Key("trainer.model", "microscope", "model line it trains (ModelRelease.modelName)"),
          new Key(
              "trainer.method",
              "dynamics-ae",
              "dynamics-ae (learns from the frames topic) or closure (from the snapshots topic)"),
          new Key("trainer.source", ".*", "regular expression of the feeds it may train on"),
          new Key(
              "trainer.input",
              "",
              "train from files instead of the topics: frames (.npy, TIFF, image folder) or"
                  + " extended-XYZ trajectories (a file or folder); read anew every run"),
          new Key(
              "trainer.interval.s", "3600", "seconds between scheduled runs (0: on request only)"),
          new Key(
              "trainer.window.frames",
              "5000",
              "records read back per partition: frames of the most active feed, or snapshots"),
          new Key("trainer.min.frames", "500", "fewest frames (or snapshots) a run trains on"),
          new Key("trainer.holdout.fraction", "0.2", "most recent share of the window held out"),
          new Key(
              "trainer.margin", "0.0", "relative improvement the candidate needs to be published"),
          new Key("trainer.latent.dim", "2", "latent dimension"),
          new Key("trainer.epochs", "10", "training epochs per run (closure: autoencoder stage)"),
          new Key("trainer.dynamics.epochs", "100", "closure: epochs of the dynamics stage"),
          new Key(
              "trainer.dynamics.restarts",
              "1",
              "closure: fits of the dynamics on the same encodings; the best is kept"),
          new Key(
              "trainer.dynamics.average",
              "false",
              "closure: keep the mean of the dynamics fits instead of the best (restarts > 1)"),
          new Key(
              "trainer.macros",
              "",
              "closure: macro observables, comma-separated (empty: all the snapshots carry)"),
          new Key(
              "trainer.species",
              "",
              "closure: species labels by snapshot species index (empty: named by the index)"),
          new Key("trainer.stochastic", "false", "closure: SDE (true) or ODE (false) dynamics"),
          new Key("trainer.encoder", "deepset", "closure: set encoder, deepset or set-transformer"),
          new Key(
              "trainer.center",
              "false",
              "closure: encode positions relative to each snapshot's centroid (no walls or field)"),
          new Key(
              "trainer.align",
              "false",
              "closure: also turn each snapshot onto its principal axes (implies trainer.center;"
                  + " isotropic systems)"),
          new Key(
              "trainer.ensemble",
              "16",
              "closure SDE: rollouts per held-out trajectory when scoring"),
          new Key("trainer.batch", "256", "minibatch size"),
          new Key("trainer.seed", "0", "seed of the first run (each run adds its number)"),
          new Key("trainer.threads", "1", "PyTorch intra-op threads"),
          new Key("model.store", "model-store", "directory of released bundles (zips)"),
          new Key(
              "model.inline.max.bytes", "900000", "bundles up to this size also travel inline"));

  private TrainerSettings(Map<String, String> values) {
    super(values);
  }

  public static TrainerSettings load(
      Path file, Map<String, String> env, Map<String, String> overrides) {
    return of(merge(KEYS, file, env, overrides));
  }

  /** A comma-separated value as a list (blank entries dropped). */
  public List<String> list(String key) {
    return java.util.Arrays.stream(get(key).split(","))
        .map(String::trim)
        .filter(v -> !v.isEmpty())
        .toList();
  }

  public static TrainerSettings of(Map<String, String> given) {
    TrainerSettings s = new TrainerSettings(resolve(KEYS, given));
    s.positive("trainer.window.frames");
    s.positive("trainer.min.frames");
    s.positive("trainer.latent.dim");
    s.positive("trainer.epochs");
    s.positive("trainer.batch");
    s.positive("trainer.threads");
    s.positive("trainer.dynamics.epochs");
    s.positive("trainer.dynamics.restarts");
    s.oneOf("trainer.dynamics.average", "true", "false");
    if (Boolean.parseBoolean(s.get("trainer.dynamics.average"))
        && s.integer("trainer.dynamics.restarts") < 2) {
      throw new ConfigException(
          "trainer.dynamics.average needs several fits: set trainer.dynamics.restarts > 1");
    }
    s.positive("trainer.ensemble");
    s.oneOf("trainer.method", "dynamics-ae", "closure");
    s.oneOf("trainer.stochastic", "true", "false");
    s.oneOf("trainer.encoder", "deepset", "set-transformer");
    s.oneOf("trainer.center", "true", "false");
    s.oneOf("trainer.align", "true", "false");
    if (s.integer("trainer.interval.s") < 0) {
      throw new ConfigException("trainer.interval.s must be >= 0");
    }
    double holdout = s.doubleValue("trainer.holdout.fraction");
    if (!(holdout > 0 && holdout < 0.9)) {
      throw new ConfigException("trainer.holdout.fraction must be in (0, 0.9), got " + holdout);
    }
    s.doubleValue("trainer.margin");
    s.longValue("trainer.seed");
    s.longValue("model.inline.max.bytes");
    try {
      java.util.regex.Pattern.compile(s.get("trainer.source"));
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new ConfigException(
          "trainer.source is not a regular expression: " + e.getDescription());
    }
    return s;
  }
}
