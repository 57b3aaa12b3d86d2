package io.macroscope.demo;

import io.macroscope.dynamics.bundle.Manifest;
import io.macroscope.schemas.AlertKind;
import io.macroscope.schemas.AlertRule;
import java.util.List;

/**
 * The demo's alert rules, placed from what the trained models recorded about their training data
 * (latent support, macro statistics), since learned coordinates have no fixed scale.
 */
final class DemoRules {

  private DemoRules() {}

  static List<AlertRule> of(Manifest microscope, Manifest particles) {
    Manifest.LatentSupport support = microscope.latentSupport();
    double high = support.mean().get(0) + 1.5 * support.std().get(0);
    Manifest.ClosureSpec closure = particles.closure();
    double low = closure.macroMean().get(0) - 0.5 * closure.macroScale().get(0);
    String energy = particles.macroNames().get(0);
    return List.of(
        AlertRule.newBuilder()
            .setRuleId("microscope-excursion")
            .setKind(AlertKind.THRESHOLD)
            .setSourcePattern("microscope-.*")
            .setDescription(
                String.format(
                    "spot heads to the edge of its range (z0 > %.3f within 30 steps)", high))
            .setComponent("z0")
            .setBelow(false)
            .setThreshold(high)
            .setHorizonSteps(30)
            .setMinProbability(0.5)
            .build(),
        AlertRule.newBuilder()
            .setRuleId("microscope-unfamiliar")
            .setKind(AlertKind.OUT_OF_DISTRIBUTION)
            .setSourcePattern("microscope-.*")
            .setDescription("frame encodes outside the training support")
            .setRadius(1.0)
            .build(),
        AlertRule.newBuilder()
            .setRuleId("particles-clustering")
            .setKind(AlertKind.THRESHOLD)
            .setSourcePattern("particles-.*")
            .setDescription(
                String.format("particles cluster (%s < %.4f within 50 steps)", energy, low))
            .setComponent(energy)
            .setBelow(true)
            .setThreshold(low)
            .setHorizonSteps(50)
            .setMinProbability(0.8)
            .build());
  }
}
