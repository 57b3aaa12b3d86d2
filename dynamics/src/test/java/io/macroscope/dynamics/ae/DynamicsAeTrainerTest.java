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
 * Dynamics-AE and the beta-VAE on a short warped three-well trajectory (y' = y + x^2), small
 * budget, fixed seeds: Dynamics-AE must undo the warp far better than the warped input itself and
 * than the beta-VAE.
 */
class DynamicsAeTrainerTest {

  private static final int FRAMES = 50_000;
  private static ThreeWellTrajectory trajectory;
  private static float[] observed;

  @BeforeAll
  static void simulate() {
    trajectory = ThreeWellTrajectory.simulate(FRAMES, 1.0, 1e-3, 10, Warp.PARABOLIC, 11);
    observed = new float[trajectory.observed().length];
    for (int i = 0; i < observed.length; i++) {
      observed[i] = (float) trajectory.observed()[i];
    }
  }

  private static LatentError.Result error(TrainedAutoencoder model) {
    float[] z = model.encode(observed, FRAMES);
    double[] latent = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      latent[i] = z[i];
    }
    return LatentError.compute(latent, trajectory.truth(), FRAMES, 2);
  }

  private static DynamicsAeConfig smallBudget() {
    return DynamicsAeConfig.builder().setLatentDim(2).optEpochs(20).optSeed(3).build();
  }

  @Test
  void shouldRecoverUnwarpedCoordinatesFarBetterThanInputAndBetaVae() {
    double inputError =
        LatentError.compute(trajectory.observed(), trajectory.truth(), FRAMES, 2).similarity();
    List<EpochStats> epochs = new ArrayList<>();
    double dynamicsError;
    try (TrainedAutoencoder model =
        new DynamicsAeTrainer(smallBudget(), epochs::add).fit(observed, FRAMES, 2)) {
      dynamicsError = error(model).similarity();
    }
    double vaeError;
    try (TrainedAutoencoder vae =
        new BetaVaeTrainer(smallBudget(), 1.0, e -> {}).fit(observed, FRAMES, 2)) {
      vaeError = error(vae).similarity();
    }
    System.out.printf(
        "warped input %.4f, Dynamics-AE %.4f, beta-VAE %.4f%n",
        inputError, dynamicsError, vaeError);
    assertEquals(20, epochs.size());
    assertTrue(epochs.get(1).bins() > 1, "latent bins are used after the warm-up epoch");
    assertTrue(
        dynamicsError < inputError / 4, "Dynamics-AE " + dynamicsError + " vs input " + inputError);
    assertTrue(vaeError > 3 * dynamicsError, "beta-VAE " + vaeError + " vs " + dynamicsError);
  }

  @Test
  void shouldLearnLatentOnTheUnitDiffusionScale() {
    // Frames are 0.01 time units apart at kT = 1: true moves have variance 0.02 per axis, the
    // latent convention 2 per axis, so latent = 10 x truth and the fitted truth/latent scale ~0.1.
    try (TrainedAutoencoder model =
        new DynamicsAeTrainer(smallBudget(), e -> {}).fit(observed, FRAMES, 2)) {
      assertEquals(0.1, error(model).scale(), 0.02);
    }
  }

  @Test
  void shouldStopWithActionableMessageWhenLossBecomesNaN() {
    float[] broken = observed.clone();
    broken[1234] = Float.NaN;
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new DynamicsAeTrainer(smallBudget(), x -> {}).fit(broken, FRAMES, 2).close());
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }

  @Test
  void shouldRejectTooFewFramesForOneBatch() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DynamicsAeTrainer(smallBudget(), x -> {}).fit(new float[200], 100, 2));
  }
}
