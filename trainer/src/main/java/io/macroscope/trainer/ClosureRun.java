package io.macroscope.trainer;

import io.macroscope.dynamics.bundle.ClosureBundles;
import io.macroscope.dynamics.bundle.ClosureForecaster;
import io.macroscope.dynamics.bundle.LatentAlignment;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.closure.ClosureConfig;
import io.macroscope.dynamics.closure.ClosureMetrics;
import io.macroscope.dynamics.closure.ClosureTrainer;
import io.macroscope.dynamics.closure.TrainedClosure;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.particles.Trajectories;
import io.macroscope.schemas.ModelMethod;
import io.macroscope.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A closure-model run: the recent snapshot trajectories of the matching feeds, the most recently
 * ended full-length ones held out. Bundles are judged as the closure paper judges them: rollouts of
 * the macro observables from each held-out trajectory's first microstate only, scored by mean
 * relative error (ODE lines) or MMD against the true values (SDE lines). The held-out microstates
 * are the alignment's reference batch.
 */
final class ClosureRun implements LineRun {

  private static final Logger LOG = LoggerFactory.getLogger(ClosureRun.class);

  /** Most held-out microstates encoded for the alignment. */
  private static final int MAX_REFERENCE = 2000;

  private final TrainerSettings settings;
  private final SnapshotWindow window;
  private final List<String> macros;
  private final List<List<ParticleFrame>> train;
  private final List<List<ParticleFrame>> heldOut;
  private final List<ParticleFrame> reference;

  private ClosureRun(
      TrainerSettings settings,
      SnapshotWindow window,
      List<String> macros,
      List<List<ParticleFrame>> train,
      List<List<ParticleFrame>> heldOut) {
    this.settings = settings;
    this.window = window;
    this.macros = macros;
    this.train = train;
    this.heldOut = heldOut;
    List<ParticleFrame> all = heldOut.stream().flatMap(List::stream).toList();
    int stride = Math.max(1, (all.size() + MAX_REFERENCE - 1) / MAX_REFERENCE);
    List<ParticleFrame> picked = new ArrayList<>();
    for (int i = 0; i < all.size(); i += stride) {
      picked.add(all.get(i));
    }
    this.reference = picked;
  }

  static ClosureRun read(TrainerSettings settings) {
    SnapshotWindow window =
        settings.get("trainer.input").isEmpty()
            ? SnapshotWindow.read(
                settings.clientConfigs(),
                settings.topics().of(Topics.SNAPSHOTS),
                Pattern.compile(settings.get("trainer.source")),
                settings.integer("trainer.window.frames"),
                settings.list("trainer.species"),
                Duration.ofSeconds(60))
            : SnapshotWindow.files(Path.of(settings.get("trainer.input")));
    if (window.snapshots() < settings.integer("trainer.min.frames")) {
      throw new IllegalStateException(
          "only " + window.snapshots() + " snapshots in the window (trainer.min.frames)");
    }
    List<List<ParticleFrame>> usable =
        window.trajectories().stream().filter(t -> t.size() >= 2).toList();
    // held out: the most recently ended trajectories among those of at least median length (a
    // feed's last trajectory may still be running, its first may be cut by the window)
    int[] lengths = usable.stream().mapToInt(List::size).sorted().toArray();
    int median = lengths.length == 0 ? 0 : lengths[lengths.length / 2];
    List<Integer> full = new ArrayList<>();
    for (int i = 0; i < usable.size(); i++) {
      if (usable.get(i).size() >= median) {
        full.add(i);
      }
    }
    int holdout =
        Math.max(
            1, (int) Math.round(full.size() * settings.doubleValue("trainer.holdout.fraction")));
    if (usable.size() - holdout < 1 || full.size() < holdout) {
      throw new IllegalStateException(
          "need at least 2 trajectories of 2 or more snapshots, the window holds " + usable.size());
    }
    java.util.Set<Integer> held =
        new java.util.HashSet<>(full.subList(full.size() - holdout, full.size()));
    List<List<ParticleFrame>> train = new ArrayList<>();
    List<List<ParticleFrame>> test = new ArrayList<>();
    for (int i = 0; i < usable.size(); i++) {
      (held.contains(i) ? test : train).add(usable.get(i));
    }
    List<String> macros = settings.list("trainer.macros");
    if (macros.isEmpty()) {
      macros = commonMacros(usable);
      if (macros.isEmpty()) {
        throw new IllegalStateException(
            "the snapshots carry no macro observable in common: name them in trainer.macros");
      }
    }
    return new ClosureRun(settings, window, macros, train, test);
  }

  /** Macro names every microstate of the window carries, sorted. */
  private static List<String> commonMacros(List<List<ParticleFrame>> trajectories) {
    TreeSet<String> common = null;
    for (List<ParticleFrame> t : trajectories) {
      for (ParticleFrame f : t) {
        TreeSet<String> keys = new TreeSet<>(f.info().keySet());
        keys.remove("time");
        if (common == null) {
          common = keys;
        } else {
          common.retainAll(keys);
        }
      }
    }
    return common == null ? List.of() : List.copyOf(common);
  }

  @Override
  public ModelMethod method() {
    return ModelMethod.CLOSURE;
  }

  private boolean stochastic() {
    return Boolean.parseBoolean(settings.get("trainer.stochastic"));
  }

  @Override
  public ModelBundle train(Path dir, String version, long seed, Map<String, String> lineage) {
    ClosureConfig config =
        ClosureConfig.builder()
            .optLatentDim(settings.integer("trainer.latent.dim"))
            .optEncoder(ClosureConfig.Encoder.of(settings.get("trainer.encoder")))
            .optAutoencoderEpochs(settings.integer("trainer.epochs"))
            .optDynamicsEpochs(settings.integer("trainer.dynamics.epochs"))
            .optDynamicsRestarts(settings.integer("trainer.dynamics.restarts"))
            .optDynamicsAverage(Boolean.parseBoolean(settings.get("trainer.dynamics.average")))
            .optStochastic(stochastic())
            .optCenter(Boolean.parseBoolean(settings.get("trainer.center")))
            .optAlign(Boolean.parseBoolean(settings.get("trainer.align")))
            .optSeed(seed)
            .build();
    lineage.put("macros", String.join(",", macros));
    lineage.put("stochastic", Boolean.toString(stochastic()));
    lineage.put("dynamics_epochs", settings.get("trainer.dynamics.epochs"));
    lineage.put("dynamics_restarts", settings.get("trainer.dynamics.restarts"));
    lineage.put("dynamics_average", settings.get("trainer.dynamics.average"));
    lineage.put("train_trajectories", Integer.toString(train.size()));
    lineage.put("holdout_trajectories", Integer.toString(heldOut.size()));
    List<ParticleFrame> sample = train.stream().flatMap(List::stream).limit(MAX_REFERENCE).toList();
    try (TrainedClosure model =
        new ClosureTrainer(config, e -> LOG.info("{} {}", version, e.line()))
            .fit(train, macros, List.of())) {
      return ClosureBundles.write(
          dir, model, version, Map.of(), Trajectories.frameDt(train), sample);
    }
  }

  @Override
  public Map<String, Double> score(ModelBundle bundle) {
    try (ClosureForecaster forecaster = new ClosureForecaster(bundle, 1)) {
      boolean sde = forecaster.manifest().closure().stochastic();
      int members = sde ? settings.integer("trainer.ensemble") : 1;
      ClosureMetrics.Scores s =
          ClosureMetrics.evaluate(
              heldOut,
              forecaster.macros(),
              members,
              settings.longValue("trainer.seed"),
              forecaster::forecast);
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("mre", s.mre());
      out.put("mmd", s.mmd());
      out.put("rollout_steps", (double) s.steps());
      return out;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          bundle.manifest().version()
              + " cannot be scored on the held-out trajectories: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String gatedMetric() {
    return stochastic() ? "mmd" : "mre";
  }

  @Override
  public float[] reference(ModelBundle bundle) {
    try (ClosureForecaster forecaster = new ClosureForecaster(bundle, 1)) {
      int d = bundle.manifest().latentDim();
      float[] out = new float[reference.size() * d];
      for (int from = 0; from < reference.size(); from += 256) {
        List<ParticleFrame> chunk = reference.subList(from, Math.min(reference.size(), from + 256));
        System.arraycopy(forecaster.encode(chunk), 0, out, from * d, chunk.size() * d);
      }
      return out;
    }
  }

  /** Any invertible affine map: a closure latent has no metric convention to keep. */
  @Override
  public LatentAlignment fitAlignment(float[] candidate, float[] serving, int d) {
    return LatentAlignment.fitAffine(candidate, serving, referenceRows(), d);
  }

  @Override
  public int referenceRows() {
    return reference.size();
  }

  @Override
  public Map<String, String> lineage() {
    return window.lineage();
  }
}
