package io.macroscope.streams.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.schemas.AlertKind;
import io.macroscope.schemas.AlertRule;
import io.macroscope.schemas.Forecast;
import io.macroscope.schemas.LatentState;
import io.macroscope.schemas.ModelMethod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Probabilities and lead times of alert rules on hand-made ensembles. */
class AlertRulesTest {

  private static final double DT = 0.5;

  /** 10 members, 1 component; member m crosses below 0 at step m + 1 (members 0..7 only). */
  private static double[][][] staggered() {
    double[][][] members = new double[10][11][1];
    for (int m = 0; m < 10; m++) {
      for (int t = 0; t <= 10; t++) {
        members[m][t][0] = m < 8 && t >= m + 1 ? -1 : 1;
      }
    }
    return members;
  }

  private static Evaluation evaluation(double[][][] members, Double supportDistance) {
    LatentState state =
        LatentState.newBuilder()
            .setSourceId("s")
            .setSequence(7)
            .setCaptureTime(Instant.EPOCH)
            .setEncodeTime(Instant.EPOCH)
            .setZ(List.of(1.0))
            .setModelVersion("v")
            .setMethod(ModelMethod.DYNAMICS_AE)
            .setSupportDistance(supportDistance)
            .build();
    Forecast forecast =
        members == null
            ? null
            : Forecast.newBuilder()
                .setSourceId("s")
                .setSequence(7)
                .setCaptureTime(Instant.EPOCH)
                .setIssueTime(Instant.EPOCH)
                .setModelVersion("v")
                .setDt(DT)
                .setEnsembleSize(members.length)
                .setSeed(0)
                .setComponents(List.of("z0"))
                .setQuantileLevels(List.of(0.05, 0.5, 0.95))
                .setSteps(ForecastStats.steps(members, new double[] {0.05, 0.5, 0.95}, DT))
                .build();
    return new Evaluation(state, forecast, members, List.of("z0"));
  }

  private static AlertRule.Builder rule(AlertKind kind) {
    return AlertRule.newBuilder().setRuleId("r").setKind(kind);
  }

  @Test
  void shouldGiveEnsembleFractionAndFirstStepReachingMinimumAsLeadTime() {
    AlertRule r =
        rule(AlertKind.THRESHOLD)
            .setComponent("z0")
            .setThreshold(0.0)
            .setBelow(true)
            .setMinProbability(0.5)
            .build();
    AlertRules.Verdict v = AlertRules.judge(r, evaluation(staggered(), null));
    assertEquals(0.8, v.probability(), 1e-12);
    assertTrue(v.holds());
    // 5 of 10 members have crossed by step 5
    assertEquals(5 * DT, v.leadTime(), 1e-12);
  }

  @Test
  void shouldOnlyCountCrossingsWithinTheRuleHorizon() {
    AlertRule r =
        rule(AlertKind.THRESHOLD)
            .setComponent("z0")
            .setThreshold(0.0)
            .setHorizonSteps(3)
            .setMinProbability(0.5)
            .build();
    AlertRules.Verdict v = AlertRules.judge(r, evaluation(staggered(), null));
    assertEquals(0.3, v.probability(), 1e-12);
    assertFalse(v.holds());
    assertNull(v.leadTime());
  }

  @Test
  void shouldTreatAboveThresholdsAndRegionsSymmetrically() {
    AlertRule above =
        rule(AlertKind.THRESHOLD).setComponent("z0").setThreshold(0.0).setBelow(false).build();
    // every member starts at +1 (step 0 included)
    assertEquals(1.0, AlertRules.judge(above, evaluation(staggered(), null)).probability());
    AlertRule enter =
        rule(AlertKind.REGION_ENTER)
            .setCenter(List.of(-1.0))
            .setRadius(0.5)
            .setMinProbability(0.8)
            .build();
    AlertRules.Verdict v = AlertRules.judge(enter, evaluation(staggered(), null));
    assertEquals(0.8, v.probability(), 1e-12);
    assertEquals(8 * DT, v.leadTime(), 1e-12);
    AlertRule exit = rule(AlertKind.REGION_EXIT).setCenter(List.of(1.0)).setRadius(0.5).build();
    assertEquals(0.8, AlertRules.judge(exit, evaluation(staggered(), null)).probability(), 1e-12);
  }

  @Test
  void shouldJudgeOutOfDistributionOnTheStateAlone() {
    AlertRule ood = rule(AlertKind.OUT_OF_DISTRIBUTION).setRadius(2.0).build();
    AlertRules.Verdict far = AlertRules.judge(ood, evaluation(null, 3.5));
    assertTrue(far.holds());
    assertEquals(1.0, far.probability());
    assertEquals(Map.of("supportDistance", 3.5, "radius", 2.0), far.evidence());
    assertFalse(AlertRules.judge(ood, evaluation(null, 0.0)).holds());
    // no forecast this time: threshold rules have nothing to say
    AlertRule t = rule(AlertKind.THRESHOLD).setComponent("z0").setThreshold(0.0).build();
    assertNull(AlertRules.judge(t, evaluation(null, 0.0)));
  }

  @Test
  void shouldIgnoreRulesThatCannotBeEvaluated() {
    assertNotNull(AlertRules.problem(rule(AlertKind.THRESHOLD).setComponent("z0").build()));
    assertNotNull(
        AlertRules.problem(
            rule(AlertKind.REGION_ENTER).setCenter(List.of(0.0)).setRadius(-1.0).build()));
    assertNotNull(
        AlertRules.problem(
            rule(AlertKind.OUT_OF_DISTRIBUTION).setRadius(1.0).setSourcePattern("(").build()));
    AlertRule unknownComponent =
        rule(AlertKind.THRESHOLD).setComponent("energy").setThreshold(0.0).build();
    assertNull(AlertRules.judge(unknownComponent, evaluation(staggered(), null)));
    assertFalse(
        AlertRules.applies(
            rule(AlertKind.OUT_OF_DISTRIBUTION).setRadius(1.0).setSourcePattern("cam-.*").build(),
            "scope"));
  }

  @Test
  void shouldResolveProbabilityRulesOnlyBelowTheMarginAndStateRulesAtOnce() {
    AlertRule r =
        rule(AlertKind.THRESHOLD)
            .setComponent("z0")
            .setThreshold(0.0)
            .setMinProbability(0.9)
            .setResolveMargin(0.1)
            .build();
    Map<String, Double> none = Map.of();
    assertFalse(AlertRules.resolves(r, new AlertRules.Verdict(false, 0.85, null, none, "")));
    assertTrue(AlertRules.resolves(r, new AlertRules.Verdict(false, 0.79, null, none, "")));
    AlertRule ood = rule(AlertKind.OUT_OF_DISTRIBUTION).setRadius(1.0).build();
    assertTrue(AlertRules.resolves(ood, new AlertRules.Verdict(false, 0.0, null, none, "")));
    assertFalse(AlertRules.resolves(ood, new AlertRules.Verdict(true, 1.0, null, none, "")));
  }
}
