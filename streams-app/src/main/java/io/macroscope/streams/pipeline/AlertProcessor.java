package io.macroscope.streams.pipeline;

import io.macroscope.schemas.Alert;
import io.macroscope.schemas.AlertRule;
import io.macroscope.schemas.AlertStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The alert stage: judges every enabled rule that applies to the state's source, and turns changes
 * of a rule's condition into episodes: one FIRING record when it starts holding, one RESOLVED
 * record when it stops (or when its rule is deleted or disabled). Rules come from the global
 * alert-rules store, so edits on the topic take effect at the next state. Probability rules resolve
 * with hysteresis (below the minimum less the rule's margin), so a forecast hovering at the
 * threshold does not flap.
 */
public final class AlertProcessor implements Processor<String, Evaluation, Object, Object> {

  private static final char SEP = '\u0000';

  private final String kind;
  private final PipelineNodes nodes;
  private final PipelineMetrics metrics;
  private ProcessorContext<Object, Object> context;
  private ReadOnlyKeyValueStore<String, AlertRule> rules;
  private KeyValueStore<String, String> episodes;

  public AlertProcessor(String kind, PipelineNodes nodes, PipelineMetrics metrics) {
    this.kind = kind;
    this.nodes = nodes;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.rules = context.getStateStore(nodes.rulesStore());
    this.episodes = context.getStateStore(nodes.episodeStore(kind));
  }

  @Override
  public void process(Record<String, Evaluation> record) {
    Evaluation evaluation = record.value();
    String sourceId = record.key();
    try (KeyValueIterator<String, AlertRule> all = rules.all()) {
      while (all.hasNext()) {
        AlertRule rule = all.next().value;
        if (rule == null || !AlertRules.applies(rule, sourceId)) {
          continue;
        }
        AlertRules.Verdict verdict = AlertRules.judge(rule, evaluation);
        if (verdict == null) {
          continue;
        }
        String key = sourceId + SEP + rule.getRuleId();
        String open = episodes.get(key);
        if (verdict.holds() && open == null) {
          String alertId =
              sourceId + "/" + rule.getRuleId() + "/" + evaluation.state().getSequence();
          episodes.put(key, alertId);
          emit(record, rule, alertId, AlertStatus.FIRING, verdict);
        } else if (open != null && AlertRules.resolves(rule, verdict)) {
          episodes.delete(key);
          emit(record, rule, open, AlertStatus.RESOLVED, verdict);
        }
      }
    }
    resolveOrphans(record, sourceId);
  }

  /** Episodes whose rule was deleted, disabled or no longer applies are resolved. */
  private void resolveOrphans(Record<String, Evaluation> record, String sourceId) {
    List<KeyValue<String, String>> orphans = new ArrayList<>();
    try (KeyValueIterator<String, String> open =
        episodes.prefixScan(sourceId + SEP, new StringSerializer())) {
      while (open.hasNext()) {
        KeyValue<String, String> episode = open.next();
        String ruleId = episode.key.substring(sourceId.length() + 1);
        AlertRule rule = rules.get(ruleId);
        if (rule == null || !AlertRules.applies(rule, sourceId)) {
          orphans.add(episode);
        }
      }
    }
    for (KeyValue<String, String> episode : orphans) {
      episodes.delete(episode.key);
      String ruleId = episode.key.substring(sourceId.length() + 1);
      AlertRule rule = rules.get(ruleId);
      Alert alert =
          base(record, ruleId, episode.value, AlertStatus.RESOLVED)
              .setKind(rule == null ? io.macroscope.schemas.AlertKind.THRESHOLD : rule.getKind())
              .setProbability(0)
              .setMessage(rule == null ? "rule deleted" : "rule disabled or no longer applies")
              .build();
      forward(record, alert);
    }
  }

  private void emit(
      Record<String, Evaluation> record,
      AlertRule rule,
      String alertId,
      AlertStatus status,
      AlertRules.Verdict verdict) {
    String description = rule.getDescription().isEmpty() ? "" : rule.getDescription() + ": ";
    Alert alert =
        base(record, rule.getRuleId(), alertId, status)
            .setKind(rule.getKind())
            .setProbability(verdict.probability())
            .setLeadTime(verdict.leadTime())
            .setMessage(description + verdict.message())
            .setEvidence(Map.copyOf(verdict.evidence()))
            .build();
    forward(record, alert);
  }

  private Alert.Builder base(
      Record<String, Evaluation> record, String ruleId, String alertId, AlertStatus status) {
    var state = record.value().state();
    return Alert.newBuilder()
        .setAlertId(alertId)
        .setRuleId(ruleId)
        .setSourceId(record.key())
        .setStatus(status)
        .setSequence(state.getSequence())
        .setEventTime(state.getCaptureTime() == null ? Instant.now() : state.getCaptureTime())
        .setModelVersion(
            record.value().forecast() != null
                ? record.value().forecast().getModelVersion()
                : state.getModelVersion());
  }

  private void forward(Record<String, Evaluation> record, Alert alert) {
    metrics.alert(alert);
    context.forward(new Record<>(record.key(), alert, record.timestamp()), nodes.alertSink());
  }
}
