package io.macroscope.dynamics.ae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.metrics.LatentError;
import io.macroscope.dynamics.sim.ThreeWellTrajectory;
import io.macroscope.dynamics.sim.Warp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dynamics-AE and the beta-VAE on a warped three-well trajectory (y' = y + x^2) with the reference
 * configuration (200,000 frames, 50 epochs; ~2 min on one thread), trained once and shared by the
 * tests. Smaller budgets were not robust: at 50,000 frames the error ranged 0.014-0.37 over seeds
 * and moved with numerical noise from tests run earlier in the same JVM.
 */
class DynamicsAeTrainerTest {

  private static final int FRAMES = 200_000;
  private static ThreeWellTrajectory trajectory;
  private static float[] observed;
  private static final List<EpochStats> epochs = new ArrayList<>();
  private static LatentError.Result dynamics;
  private static LatentError.Result vae;
  private static int keptEpoch;

  @BeforeAll
  static void trainBoth() {
    trajectory = ThreeWellTrajectory.simulate(FRAMES, 1.0, 1e-3, 10, Warp.PARABOLIC, 11);
    observed = trajectory.observedFloats();
    DynamicsAeConfig reference = DynamicsAeConfig.reference(2);
    try (TrainedAutoencoder model =
        new DynamicsAeTrainer(reference, epochs::add).fit(observed, FRAMES, 2)) {
      dynamics = error(model);
      keptEpoch = model.keptEpoch();
    }
    try (TrainedAutoencoder baseline =
        new BetaVaeTrainer(reference, 1.0, e -> {}).fit(observed, FRAMES, 2)) {
      vae = error(baseline);
    }
    System.out.printf("Dynamics-AE %s%nbeta-VAE %s%n", dynamics, vae);
  }

  private static LatentError.Result error(TrainedAutoencoder model) {
    return LatentError.compute(model.encode(observed, FRAMES), trajectory.truth(), FRAMES, 2);
  }

  @Test
  void shouldRecoverUnwarpedCoordinatesFarBetterThanInputAndBetaVae() {
    double inputError =
        LatentError.compute(trajectory.observed(), trajectory.truth(), FRAMES, 2).similarity();
    assertEquals(50, epochs.size());
    assertTrue(epochs.get(1).bins() > 1, "latent bins are used after the warm-up epoch");
    // Measured 0.0009-0.0040 over seeds with the best epoch kept (see README); the reference
    // implementation reports 0.0053.
    assertTrue(dynamics.similarity() < 0.03, "Dynamics-AE " + dynamics.similarity());
    assertTrue(dynamics.similarity() < inputError / 4, "vs warped input " + inputError);
    assertTrue(vae.similarity() > 5 * dynamics.similarity(), "beta-VAE " + vae.similarity());
  }

  @Test
  void shouldLearnLatentOnTheUnitDiffusionScale() {
    // Frames are 0.01 time units apart at kT = 1: true moves have variance 0.02 per axis, the
    // latent convention 2 per axis, so latent = 10 x truth and the fitted truth/latent scale ~0.1.
    assertEquals(0.1, dynamics.scale(), 0.01);
  }

  @Test
  void shouldKeepTheEpochWithTheLowestValidationObjective() {
    assertTrue(Double.isNaN(epochs.get(0).validationObjective()), "warm-up is not comparable");
    int best = 1;
    for (int e = 1; e < epochs.size(); e++) {
      assertTrue(epochs.get(e).validationSlicedWasserstein() > 0, "epoch " + e);
      if (epochs.get(e).validationObjective() < epochs.get(best).validationObjective()) {
        best = e;
      }
    }
    assertEquals(best, keptEpoch);
  }

  @Test
  void shouldKeepLastEpochWhenAsked() {
    DynamicsAeConfig config = smallBudget().toBuilder().optEpochs(3).optKeepBest(false).build();
    try (TrainedAutoencoder model =
        new DynamicsAeTrainer(config, x -> {})
            .fit(java.util.Arrays.copyOf(observed, 40_000), 20_000, 2)) {
      assertEquals(2, model.keptEpoch());
    }
  }

  @Test
  void shouldPutTheLatentOnTheDiffusionScaleRightAfterTheWarmUpWhenAsked() {
    // One warm-up epoch, then one epoch at a negligible rate: the moves' scale is the rescale's.
    DynamicsAeConfig config =
        smallBudget().toBuilder().optLearningRate(1e-7f).optRescaleAfterWarmup(true).build();
    float[] x = java.util.Arrays.copyOf(observed, 40_000);
    double rescaled = meanSquareMove(config, x);
    double plain = meanSquareMove(config.toBuilder().optRescaleAfterWarmup(false).build(), x);
    // 2 d D = 4 for d = 2, D = 1.
    assertEquals(4.0, rescaled, 0.4, "mean square move after the rescale");
    assertTrue(Math.abs(plain - 4.0) > 1.0, "without the rescale the scale is not there: " + plain);
  }

  private static double meanSquareMove(DynamicsAeConfig config, float[] x) {
    int n = x.length / 2;
    try (TrainedAutoencoder model = new DynamicsAeTrainer(config, e -> {}).fit(x, n, 2)) {
      float[] z = model.encode(x, n);
      double sum = 0;
      for (int i = 2; i < z.length; i++) {
        sum += Math.pow(z[i] - z[i - 2], 2);
      }
      return sum / (n - 1);
    }
  }

  private static DynamicsAeConfig smallBudget() {
    return DynamicsAeConfig.builder().setLatentDim(2).optEpochs(2).optSeed(3).build();
  }

  @Test
  void shouldStopWithActionableMessageWhenLossBecomesNaN() {
    float[] broken = java.util.Arrays.copyOf(observed, 40_000);
    broken[1234] = Float.NaN;
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new DynamicsAeTrainer(smallBudget(), x -> {}).fit(broken, 20_000, 2).close());
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }

  @Test
  void shouldRejectTooFewFramesForOneBatch() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DynamicsAeTrainer(smallBudget(), x -> {}).fit(new float[200], 100, 2));
  }
}
