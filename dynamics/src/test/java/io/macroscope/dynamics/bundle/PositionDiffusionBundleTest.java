package io.macroscope.dynamics.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.ae.DynamicsAeConfig;
import io.macroscope.dynamics.ae.DynamicsAeTrainer;
import io.macroscope.dynamics.ae.TrainedAutoencoder;
import io.macroscope.dynamics.sim.Mobility2D;
import io.macroscope.dynamics.sim.ThreeWellTrajectory;
import io.macroscope.dynamics.sim.Warp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Dynamics-AE bundle with position-dependent diffusion: the diffusion network is exported and
 * agrees with the trained one, the bundle's Itô moves (ONNX Runtime) agree with the trained prior's
 * (PyTorch engine; its formula is checked against closed forms in LangevinPriorTest), and rollouts
 * spread as the learned diffusion says.
 */
class PositionDiffusionBundleTest {

  private static final int FRAMES = 4000;
  private static float[] z;
  private static float[] moveMean; // the trained prior's M f + D dM/dz (PyTorch engine)
  private static float[] diffusion;
  private static ModelBundle bundle;

  @TempDir static Path dir;

  @BeforeAll
  static void trainAndWrite() {
    ThreeWellTrajectory t =
        ThreeWellTrajectory.simulate(
            FRAMES, 1.0, 1e-3, 10, Warp.PARABOLIC, Mobility2D.tanhAlongX(0.5, 0.5), 5);
    float[] inputs = t.observedFloats();
    DynamicsAeConfig config =
        DynamicsAeConfig.builder()
            .setLatentDim(2)
            .optEpochs(3)
            .optBatchSize(64)
            .optSeed(1)
            .optDiffusion(DynamicsAeConfig.Diffusion.POSITION)
            .build();
    try (TrainedAutoencoder model = new DynamicsAeTrainer(config, e -> {}).fit(inputs, FRAMES, 2)) {
      int n = 50;
      z = model.encode(java.util.Arrays.copyOf(inputs, 2 * n), n);
      moveMean = model.moveMean(z, n);
      diffusion = model.diffusion(z, n);
      bundle = ModelBundle.write(dir.resolve("bundle"), model, "v1", Map.of(), inputs);
    }
  }

  @Test
  void shouldRecordThePositionDependentDiffusionAndShipItsNetwork() throws Exception {
    Manifest m = ModelBundle.read(bundle.dir()).manifest();
    assertFalse(m.diffusion().constant());
    assertTrue(m.files().containsKey("diffusion"));
    float[] logM;
    try (var session =
        ai.onnxruntime.OrtEnvironment.getEnvironment()
            .createSession(
                bundle.file("diffusion").toString(),
                new ai.onnxruntime.OrtSession.SessionOptions())) {
      logM = OrtRows.run(session, "z", z, 2, "diffusion");
    }
    for (int i = 0; i < logM.length; i++) {
      assertEquals(Math.log(diffusion[i]), logM[i], 1e-5, "log M, value " + i);
    }
    boolean varies = false;
    for (float m0 : diffusion) {
      varies |= Math.abs(m0 - diffusion[0]) > 1e-3;
    }
    assertTrue(varies, "the learned diffusion depends on the position");
  }

  @Test
  void shouldComputeTheItoMovesFromTheBundleAsInTraining() {
    int n = z.length / 2;
    float[] mean = new float[z.length];
    float[] std = new float[z.length];
    try (LangevinMoves moves = LangevinMoves.open(bundle, 1, InferenceDevice.CPU)) {
      moves.at(z, mean, std);
    }
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < 2; i++) {
        int at = 2 * r + i;
        double expected = moveMean[at];
        assertEquals(expected, mean[at], 1e-3 * (1 + Math.abs(expected)), "mean " + at);
        assertEquals(Math.sqrt(2 * DynamicsAeConfig.DIFFUSION * diffusion[at]), std[at], 1e-5);
      }
    }
  }

  @Test
  void shouldSpreadRolloutsAsTheLearnedDiffusionSays() {
    float[] z0 = {z[0], z[1]};
    float[] mean = new float[2];
    float[] std = new float[2];
    int members = 4000;
    double[][][] paths;
    try (DynamicsAeForecaster forecaster = new DynamicsAeForecaster(bundle, 1);
        LangevinMoves moves = LangevinMoves.open(bundle, 1, InferenceDevice.CPU)) {
      moves.at(z0, mean, std);
      paths = forecaster.forecast(z0, 1, members, 42);
      assertArrayEquals(paths[7][1], forecaster.forecast(z0, 1, members, 42)[7][1], "seeded");
    }
    for (int i = 0; i < 2; i++) {
      double sum = 0;
      double squares = 0;
      for (double[][] path : paths) {
        double move = path[1][i] - z0[i];
        sum += move;
        squares += move * move;
      }
      double m = sum / members;
      double sd = Math.sqrt(squares / members - m * m);
      // 4,000 draws: the sample sd is within ~2.2 % (2 standard errors) of the true one
      assertEquals(std[i], sd, 0.04 * std[i], "spread of axis " + i);
      assertEquals(mean[i], m, 4 * std[i] / Math.sqrt(members), "mean move of axis " + i);
    }
  }

  @Test
  void shouldRefuseToAlignBecauseARotatedDiagonalDiffusionIsNotDiagonal() {
    BundleException e =
        assertThrows(
            BundleException.class,
            () ->
                BundleAligner.align(
                    bundle, dir.resolve("aligned"), LatentAlignment.identity(2), "v2", "v1"));
    assertTrue(e.getMessage().contains("position-dependent diffusion"), e.getMessage());
  }
}
