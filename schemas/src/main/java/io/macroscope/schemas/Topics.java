package io.macroscope.schemas;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/** Every topic Macroscope reads or writes, declared once. */
public final class Topics {

  private static final Map<String, String> COMPACTED =
      Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG,
          TopicConfig.CLEANUP_POLICY_COMPACT,
          TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
          "0");

  private static final Map<String, String> ONE_WEEK =
      Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000));

  /** Image frames from microscopes and rendered simulations, keyed by source id. */
  public static final TopicSpec<Frame> FRAMES =
      new TopicSpec<>(
          "frames", 4, ONE_WEEK, Frame.class, "Image frames, one feed per key (source id).");

  /** Particle snapshots from simulations (and pixel clouds), keyed by source id. */
  public static final TopicSpec<ParticleSnapshot> SNAPSHOTS =
      new TopicSpec<>(
          "snapshots",
          4,
          ONE_WEEK,
          ParticleSnapshot.class,
          "Particle-set microstates, one feed per key (source id).");

  /** Encoded latent states, keyed by source id. */
  public static final TopicSpec<LatentState> LATENT_STATES =
      new TopicSpec<>(
          "latent-states", 4, ONE_WEEK, LatentState.class, "Encoded states, keyed by source id.");

  /** Ensemble forecasts of the learned SDE, keyed by source id. */
  public static final TopicSpec<Forecast> FORECASTS =
      new TopicSpec<>(
          "forecasts", 4, ONE_WEEK, Forecast.class, "Ensemble forecasts, keyed by source id.");

  /** Alert episodes (firing, resolved), keyed by source id. */
  public static final TopicSpec<Alert> ALERTS =
      new TopicSpec<>("alerts", 4, ONE_WEEK, Alert.class, "Alert episodes, keyed by source id.");

  /** Alert rules, compacted, keyed by rule id; editable while running. */
  public static final TopicSpec<AlertRule> ALERT_RULES =
      new TopicSpec<>(
          "alert-rules", 1, COMPACTED, AlertRule.class, "Alert rules, latest per rule id.");

  /** Model releases, compacted, keyed by model name; the latest per name is served. */
  public static final TopicSpec<ModelRelease> MODELS =
      new TopicSpec<>(
          "models", 1, COMPACTED, ModelRelease.class, "Model releases, latest per model name.");

  /** Inputs that could not be processed, with the reason. */
  public static final TopicSpec<DeadLetter> DEAD_LETTERS =
      new TopicSpec<>(
          "dead-letters",
          1,
          Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000)),
          DeadLetter.class,
          "Unprocessable inputs with topic/partition/offset and reason.");

  /** Requests to retrain a model line now, keyed by model name. */
  public static final TopicSpec<TrainRequest> TRAINER_CONTROL =
      new TopicSpec<>(
          "trainer-control", 1, ONE_WEEK, TrainRequest.class, "Retrain requests, by model name.");

  /** Outcomes of trainer runs, keyed by model name. */
  public static final TopicSpec<TrainerStatus> TRAINER_STATUS =
      new TopicSpec<>(
          "trainer-status",
          1,
          Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000)),
          TrainerStatus.class,
          "Trainer run outcomes with both models' metrics.");

  /** All topics, in pipeline order. */
  public static final List<TopicSpec<?>> ALL =
      List.of(
          FRAMES,
          SNAPSHOTS,
          LATENT_STATES,
          FORECASTS,
          ALERTS,
          ALERT_RULES,
          MODELS,
          DEAD_LETTERS,
          TRAINER_CONTROL,
          TRAINER_STATUS);

  private Topics() {}

  /** The topic with this name. */
  public static Optional<TopicSpec<?>> byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
