package io.macroscope.streams.pipeline;

import io.macroscope.schemas.AlertRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Judges one rule against one evaluation. Probabilities are ensemble fractions: the share of
 * rollouts in which the event happens at some step 0..h of the horizon. The lead time is the model
 * time of the first step by which that share reaches the rule's minimum.
 */
public final class AlertRules {

  private AlertRules() {}

  /**
   * The verdict of a rule.
   *
   * @param holds whether the rule's condition holds
   * @param probability ensemble probability of the event (1 or 0 for conditions on the state)
   * @param leadTime model time until the event is expected, or null
   * @param evidence numbers behind the decision
   * @param message human-readable summary
   */
  public record Verdict(
      boolean holds,
      double probability,
      Double leadTime,
      Map<String, Double> evidence,
      String message) {}

  /**
   * Whether an open episode of {@code rule} ends with {@code verdict}: a condition on the state
   * when it no longer holds, a probability once it falls below the minimum less the rule's margin.
   */
  public static boolean resolves(AlertRule rule, Verdict verdict) {
    if (rule.getKind() == io.macroscope.schemas.AlertKind.OUT_OF_DISTRIBUTION) {
      return !verdict.holds();
    }
    return verdict.probability() < rule.getMinProbability() - rule.getResolveMargin();
  }

  /** Whether {@code rule} is enabled and applies to {@code sourceId}. */
  public static boolean applies(AlertRule rule, String sourceId) {
    if (!rule.getEnabled()) {
      return false;
    }
    try {
      return Pattern.compile(rule.getSourcePattern()).matcher(sourceId).matches();
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  /** What is wrong with a rule, or null if it can be evaluated (invalid rules are ignored). */
  public static String problem(AlertRule rule) {
    try {
      Pattern.compile(rule.getSourcePattern());
    } catch (PatternSyntaxException e) {
      return "sourcePattern is not a regular expression: " + e.getDescription();
    }
    if (rule.getMinProbability() <= 0 || rule.getMinProbability() > 1) {
      return "minProbability must be in (0, 1]";
    }
    return switch (rule.getKind()) {
      case THRESHOLD ->
          rule.getComponent() == null || rule.getThreshold() == null
              ? "THRESHOLD needs component and threshold"
              : null;
      case REGION_ENTER, REGION_EXIT ->
          rule.getCenter() == null || rule.getRadius() == null || rule.getRadius() <= 0
              ? rule.getKind() + " needs center and a positive radius"
              : null;
      case OUT_OF_DISTRIBUTION ->
          rule.getRadius() == null || rule.getRadius() < 0
              ? "OUT_OF_DISTRIBUTION needs radius >= 0"
              : null;
    };
  }

  /**
   * The verdict of {@code rule} on {@code evaluation}, or null when the evaluation says nothing
   * about it (no forecast this time, or a component the model does not have).
   */
  public static Verdict judge(AlertRule rule, Evaluation evaluation) {
    if (problem(rule) != null) {
      return null;
    }
    return switch (rule.getKind()) {
      case OUT_OF_DISTRIBUTION -> outOfDistribution(rule, evaluation);
      case THRESHOLD -> evaluation.members() == null ? null : threshold(rule, evaluation);
      case REGION_ENTER, REGION_EXIT ->
          evaluation.members() == null ? null : region(rule, evaluation);
    };
  }

  private static Verdict outOfDistribution(AlertRule rule, Evaluation evaluation) {
    Double distance = evaluation.state().getSupportDistance();
    if (distance == null) {
      return null;
    }
    boolean holds = distance > rule.getRadius();
    Map<String, Double> evidence = new LinkedHashMap<>();
    evidence.put("supportDistance", distance);
    evidence.put("radius", rule.getRadius());
    return new Verdict(
        holds,
        holds ? 1.0 : 0.0,
        null,
        evidence,
        String.format(
            "support distance %.3g %s %.3g", distance, holds ? ">" : "<=", rule.getRadius()));
  }

  /** Whether a state (one step of one member, all components) shows the event. */
  private interface Event {
    boolean at(double[] state);
  }

  private static Verdict threshold(AlertRule rule, Evaluation evaluation) {
    int c = evaluation.components().indexOf(rule.getComponent());
    if (c < 0) {
      return null;
    }
    double threshold = rule.getThreshold();
    boolean below = rule.getBelow();
    Verdict v = crossing(rule, evaluation, s -> below ? s[c] < threshold : s[c] > threshold);
    v.evidence().put("threshold", threshold);
    int h = horizon(rule, evaluation);
    List<Double> q = evaluation.forecast().getSteps().get(h).getQuantiles().get(c);
    List<Double> levels = evaluation.forecast().getQuantileLevels();
    for (int i = 0; i < levels.size(); i++) {
      v.evidence().put("q" + Math.round(levels.get(i) * 100) + "_at_horizon", q.get(i));
    }
    String what =
        String.format(
            "P(%s %s %.4g within %d steps) = %.2f",
            rule.getComponent(), below ? "<" : ">", threshold, h, v.probability());
    return new Verdict(v.holds(), v.probability(), v.leadTime(), v.evidence(), what);
  }

  private static Verdict region(AlertRule rule, Evaluation evaluation) {
    List<Double> center = rule.getCenter();
    double radius = rule.getRadius();
    int d = center.size();
    // the ball lives in the first d components (the latent coordinates)
    if (d > evaluation.components().size()) {
      return null;
    }
    boolean enter = rule.getKind() == io.macroscope.schemas.AlertKind.REGION_ENTER;
    Verdict v =
        crossing(
            rule,
            evaluation,
            s -> {
              double sum = 0;
              for (int k = 0; k < d; k++) {
                double diff = s[k] - center.get(k);
                sum += diff * diff;
              }
              return enter ? sum < radius * radius : sum > radius * radius;
            });
    v.evidence().put("radius", radius);
    String what =
        String.format(
            "P(%s ball %s r=%.3g within %d steps) = %.2f",
            enter ? "enter" : "leave", center, radius, horizon(rule, evaluation), v.probability());
    return new Verdict(v.holds(), v.probability(), v.leadTime(), v.evidence(), what);
  }

  private static int horizon(AlertRule rule, Evaluation evaluation) {
    int last = evaluation.members()[0].length - 1;
    Integer h = rule.getHorizonSteps();
    return h == null ? last : Math.max(0, Math.min(last, h));
  }

  private static Verdict crossing(AlertRule rule, Evaluation evaluation, Event event) {
    double[][][] members = evaluation.members();
    int h = horizon(rule, evaluation);
    int k = members.length;
    int[] hitsBy = new int[h + 1]; // members whose first event is at step t
    for (double[][] member : members) {
      for (int t = 0; t <= h; t++) {
        if (event.at(member[t])) {
          hitsBy[t]++;
          break;
        }
      }
    }
    double min = rule.getMinProbability();
    Double lead = null;
    int cumulative = 0;
    for (int t = 0; t <= h; t++) {
      cumulative += hitsBy[t];
      if (lead == null && cumulative >= min * k) {
        lead = t * evaluation.forecast().getDt();
      }
    }
    double p = cumulative / (double) k;
    Map<String, Double> evidence = new LinkedHashMap<>();
    evidence.put("probability", p);
    evidence.put("minProbability", min);
    evidence.put("ensemble", (double) k);
    return new Verdict(p >= min, p, p >= min ? lead : null, evidence, "");
  }
}
