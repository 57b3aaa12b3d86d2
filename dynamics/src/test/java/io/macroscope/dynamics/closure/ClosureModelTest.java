package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.bundle.BundleAligner;
import io.macroscope.dynamics.bundle.ClosureBundles;
import io.macroscope.dynamics.bundle.ClosureForecaster;
import io.macroscope.dynamics.bundle.LatentAlignment;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.StepForceParticles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closure model trained with a tiny budget on step-force trajectories: the properties that must
 * hold whatever the budget (permutation invariance, any set size, forecasts from the first frame).
 */
class ClosureModelTest {

  private static final StepForceParticles SIM = new StepForceParticles(10, 0.5, 0.03, 1);
  private static TrainedClosure model;
  private static List<ClosureEpoch> epochs = new ArrayList<>();
  private static List<List<ParticleFrame>> trajectories = new ArrayList<>();

  @BeforeAll
  static void train() {
    for (int i = 0; i < 12; i++) {
      trajectories.add(SIM.simulate(30, 31, 2, i));
    }
    ClosureConfig config =
        ClosureConfig.builder()
            .optStochastic(false)
            .optAutoencoderEpochs(2)
            .optDynamicsEpochs(20)
            .optUnroll(5)
            .optSigma(0.1)
            .optSeed(4)
            .build();
    model =
        new ClosureTrainer(config, epochs::add)
            .fit(trajectories, List.of(StepForceParticles.ENERGY), List.of());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void shouldReportBothStagesAndLearnTheReconstruction() {
    List<ClosureEpoch> ae = epochs.stream().filter(e -> e.stage().equals("autoencoder")).toList();
    assertEquals(2, ae.size());
    assertEquals(20, epochs.stream().filter(e -> e.stage().equals("dynamics")).count());
    // The flow starts as a standard normal on standardised coordinates: NLL ~ log(2 pi e) = 2.84.
    assertTrue(ae.get(1).loss() < 2.8, "reconstruction NLL " + ae.get(1).loss());
  }

  @Test
  void shouldKeepTheDynamicsEpochWhoseValidationRolloutsForecastTheMacroBest() {
    double best = bestValidation(epochs, "dynamics");
    assertEquals(
        validationRolloutError(model), best, 1e-3 * best, "the kept drift's validation error");
  }

  @Test
  void shouldKeepTheBestOfSeveralDynamicsFits() {
    ClosureConfig config =
        model.config().toBuilder().optDynamicsEpochs(5).optDynamicsRestarts(2).build();
    List<ClosureEpoch> history = new ArrayList<>();
    try (TrainedClosure refit = refit(config, history)) {
      assertEquals(10, history.size(), "two fits of five epochs");
      double first = bestValidation(history.subList(0, 5), "dynamics");
      double second = bestValidation(history.subList(5, 10), "dynamics");
      // with this seed the first fit is the better one, so keeping the last fit would fail here
      assertTrue(second > first * 1.01, "fit scores " + first + ", " + second);
      assertEquals(validationRolloutError(refit), first, 1e-3 * first, "the kept drift's error");
    }
  }

  @Test
  void shouldAverageSeveralDynamicsFitsIntoOneDriftThatServesFromTheBundle(@TempDir Path dir) {
    ClosureConfig config =
        model.config().toBuilder()
            .optDynamicsEpochs(5)
            .optDynamicsRestarts(2)
            .optDynamicsAverage(true)
            .build();
    List<ClosureEpoch> history = new ArrayList<>();
    try (TrainedClosure averaged = refit(config, history)) {
      assertEquals(11, history.size(), "two fits of five epochs, then the average");
      double first = bestValidation(history.subList(0, 5), "dynamics");
      double second = bestValidation(history.subList(5, 10), "dynamics");
      ClosureEpoch average = history.get(10);
      assertEquals("average", average.stage());
      assertEquals((first + second) / 2, average.loss(), 1e-9, "the fits' mean score");
      // the kept drift is the average: its own validation error is the one reported for it, and
      // it is neither fit's
      double kept = validationRolloutError(averaged);
      assertEquals(average.validationLoss(), kept, 1e-3 * kept, "the averaged drift's error");
      assertTrue(
          Math.abs(kept - first) > 1e-3 * first && Math.abs(kept - second) > 1e-3 * second,
          "averaged " + kept + " vs fits " + first + ", " + second);
      assertEquals(List.of(128, 128), averaged.dynamicsSpec().hidden(), "two 64-unit nets");
      // the first fit alone (the same random stream) sits in the wide drift's first half: its
      // hidden units as they were, its output weights halved
      try (TrainedClosure single =
          refit(config.toBuilder().optDynamicsRestarts(1).optDynamicsAverage(false).build())) {
        List<float[]> wide = parameters(averaged);
        List<float[]> one = parameters(single);
        for (int i = 0; i < one.get(0).length; i++) {
          assertEquals(one.get(0)[i], wide.get(0)[i], 0, "first layer weight " + i);
        }
        int outputs = one.get(5).length;
        for (int r = 0; r < outputs; r++) {
          for (int c = 0; c < 64; c++) {
            assertEquals(
                one.get(4)[r * 64 + c] / 2,
                wide.get(4)[r * 128 + c],
                1e-7,
                "output " + r + "," + c);
          }
        }
      }

      ModelBundle bundle =
          ClosureBundles.write(
              dir.resolve("b"), averaged, "v1", Map.of(), 0.03, trajectories.get(0));
      assertEquals(List.of(128, 128), bundle.manifest().closure().dynamics().hidden());
      ParticleFrame frame = trajectories.get(3).get(0);
      try (ClosureForecaster onnx = new ClosureForecaster(ModelBundle.read(bundle.dir()), 1)) {
        double[][][] djl = averaged.rollout(frame, 30, 1, 0);
        double[][][] ort = onnx.forecast(frame, 30, 1, 0);
        for (int t = 0; t <= 30; t++) {
          assertEquals(djl[0][t][0], ort[0][t][0], 1e-4, "step " + t);
        }
      }
    }
  }

  @Test
  void shouldAverageTheDiffusionsOfStochasticFitsToo(@TempDir Path dir) {
    ClosureConfig sde =
        model.config().toBuilder()
            .optStochastic(true)
            .optDynamicsEpochs(3)
            .optDynamicsRestarts(2)
            .optDynamicsAverage(true)
            .build();
    List<ClosureEpoch> history = new ArrayList<>();
    try (TrainedClosure averaged = refit(sde, history)) {
      ClosureEpoch average = history.get(history.size() - 1);
      assertEquals("average", average.stage());
      assertTrue(Double.isFinite(average.validationLoss()), average.line());
      ModelBundle bundle =
          ClosureBundles.write(dir.resolve("sde"), averaged, "v1", Map.of(), 0.03, List.of());
      // the averaged diffusion exports with the drift's doubled width
      assertTrue(bundle.manifest().files().containsKey("diffusion"));
      assertEquals(List.of(128, 128), bundle.manifest().closure().dynamics().hidden());
      ParticleFrame frame = trajectories.get(1).get(0);
      try (ClosureForecaster onnx = new ClosureForecaster(ModelBundle.read(bundle.dir()), 1)) {
        double[][][] ort = onnx.forecast(frame, 10, 8, 42);
        double[][][] djl = averaged.rollout(frame, 10, 8, 42);
        for (int e = 0; e < 8; e++) {
          assertEquals(djl[e][10][0], ort[e][10][0], 1e-3, "engines agree, member " + e);
        }
      }
    }
  }

  /** The ODE forecast's mean squared macro error over the trainer's validation trajectories. */
  private static double validationRolloutError(TrainedClosure closure) {
    // the trainer's split: seeded shuffle, the last 20 % validate
    List<List<ParticleFrame>> shuffled = new ArrayList<>(trajectories);
    java.util.Collections.shuffle(shuffled, new Random(closure.config().seed()));
    List<List<ParticleFrame>> valid = shuffled.subList(10, 12);
    double scale = closure.scaling().macroScale()[0];
    double sum = 0;
    int count = 0;
    for (List<ParticleFrame> t : valid) {
      // from the first frame only, over the whole trajectory
      double[][] path = closure.rollout(t.get(0), t.size() - 1, 1, 0)[0];
      for (int step = 1; step < t.size(); step++) {
        double err = (path[step][0] - t.get(step).macro(StepForceParticles.ENERGY)) / scale;
        sum += err * err;
        count++;
      }
    }
    return sum / count;
  }

  @Test
  void shouldRefitTheDynamicsReproduciblyOnTheSameEncoder() {
    ClosureConfig other = model.config().toBuilder().optDynamicsNoise(0.35).build();
    ParticleFrame start = trajectories.get(0).get(0);
    double[][][] first;
    try (TrainedClosure refit = refit(other)) {
      assertEquals(0.35, refit.config().dynamicsNoise());
      float[] a = model.encode(List.of(start));
      float[] b = refit.encode(List.of(start));
      for (int k = 0; k < a.length; k++) {
        assertEquals(a[k], b[k], 0, "latent " + k + " comes from the same encoder");
      }
      first = refit.rollout(start, 20, 1, 0);
    }
    try (TrainedClosure again = refit(other)) {
      double[][][] second = again.rollout(start, 20, 1, 0);
      for (int step = 0; step <= 20; step++) {
        assertEquals(first[0][step][0], second[0][step][0], 1e-9, "step " + step);
      }
    }
    // closing a refit leaves the encoder it shares with the original open
    assertTrue(Double.isFinite(model.rollout(start, 5, 1, 0)[0][5][0]));
  }

  @Test
  void shouldFineTuneJointlyThenFitTheDynamicsOnTheTunedEncoder(@TempDir Path dir) {
    ClosureConfig config =
        model.config().toBuilder().optJointEpochs(2).optDynamicsEpochs(5).build();
    List<ClosureEpoch> history = new ArrayList<>();
    try (TrainedClosure tuned =
        new ClosureTrainer(config, history::add)
            .fit(trajectories, List.of(StepForceParticles.ENERGY), List.of())) {
      List<String> stages = history.stream().map(ClosureEpoch::stage).toList();
      List<String> expected = new ArrayList<>(List.of("autoencoder", "autoencoder"));
      expected.addAll(List.of("joint", "joint"));
      expected.addAll(java.util.Collections.nCopies(5, "dynamics"));
      assertEquals(expected, stages);
      // the tuned parameters outlive the joint stage's model: they encode, roll out and export
      ParticleFrame frame = SIM.simulate(35, 1, 2, 77).get(0);
      ModelBundle bundle =
          ClosureBundles.write(dir.resolve("j"), tuned, "v1", Map.of(), 0.03, trajectories.get(0));
      try (ClosureForecaster onnx = new ClosureForecaster(ModelBundle.read(bundle.dir()), 1)) {
        float[] a = tuned.encode(List.of(frame));
        float[] b = onnx.encode(List.of(frame));
        for (int k = 0; k < a.length; k++) {
          assertEquals(a[k], b[k], 1e-5, "latent " + k);
        }
      }
      assertTrue(Double.isFinite(tuned.rollout(frame, 10, 1, 0)[0][10][0]));
    }
  }

  @Test
  void shouldEncodeTheSameStateWhateverTheParticleOrder() {
    ParticleFrame frame = SIM.simulate(30, 1, 2, 99).get(0);
    ParticleFrame shuffled = frame.reordered(ClosureTrainer.permutation(frame.n(), new Random(5)));
    assertTrue(shuffled.positions()[0] != frame.positions()[0], "the order changed");
    float[] a = model.encode(List.of(frame));
    float[] b = model.encode(List.of(shuffled));
    double scale = 0;
    for (int k = 0; k < a.length; k++) {
      assertEquals(a[k], b[k], 1e-5, "latent " + k);
      scale = Math.max(scale, Math.abs(a[k]));
    }
    assertTrue(scale > 1e-3, "the latent is not trivially zero");
  }

  @Test
  void shouldEncodeAndForecastSetsOfAnotherSize() {
    ParticleFrame big = SIM.simulate(75, 1, 2, 7).get(0);
    ParticleFrame small = SIM.simulate(30, 1, 2, 7).get(0);
    float[] both = model.encode(List.of(big, small));
    float[] alone = model.encode(List.of(big));
    for (int k = 0; k < alone.length; k++) {
      assertEquals(alone[k], both[k], 1e-5, "padding a batch does not change a set's latent");
    }
    double[][][] forecast = model.rollout(big, 20, 3, 1);
    assertEquals(3, forecast.length);
    assertEquals(21, forecast[0].length);
    assertEquals(big.macro(StepForceParticles.ENERGY), forecast[0][0][0], 1e-9);
    for (double[] step : forecast[0]) {
      assertTrue(Double.isFinite(step[0]));
    }
  }

  @Test
  void shouldRejectTrajectoriesShorterThanAFittedWindowBeforeTraining() {
    List<List<ParticleFrame>> shortOnes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      shortOnes.add(SIM.simulate(10, 3, 2, 40 + i));
    }
    // SDE windows of sdeSteps + 1 = 4 frames, ODE windows of unroll + 1 = 11
    for (ClosureConfig config :
        List.of(
            ClosureConfig.builder().optSdeSteps(3).build(),
            ClosureConfig.builder().optStochastic(false).build())) {
      List<ClosureEpoch> epochs = new ArrayList<>();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new ClosureTrainer(config, epochs::add)
                      .fit(shortOnes, List.of("energy"), List.of()));
      assertTrue(
          e.getMessage().contains(config.stochastic() ? "--sde-steps 3" : "--unroll 10"),
          e.getMessage());
      assertTrue(epochs.isEmpty(), "nothing is trained first: " + epochs.size() + " epochs");
    }
  }

  @Test
  void shouldRejectMissingMacroAndBadFrames() {
    ParticleFrame frame = SIM.simulate(10, 1, 2, 1).get(0);
    ParticleFrame unnamed = frame.withInfo(Map.of());
    assertThrows(IllegalArgumentException.class, () -> model.rollout(unnamed, 5, 1, 0));
    float[] nan = frame.positions().clone();
    nan[3] = Float.NaN;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> model.encode(List.of(frame.withPositions(nan))));
    assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
  }

  @Test
  void shouldServeTheSameLatentAndForecastFromTheOnnxBundle(@TempDir Path dir) {
    ModelBundle bundle =
        ClosureBundles.write(dir.resolve("b"), model, "v1", Map.of(), 0.03, trajectories.get(0));
    ParticleFrame frame = SIM.simulate(45, 1, 3, 123).get(0);
    try (ClosureForecaster onnx = new ClosureForecaster(ModelBundle.read(bundle.dir()), 1)) {
      float[] a = model.encode(List.of(frame));
      float[] b = onnx.encode(List.of(frame));
      for (int k = 0; k < a.length; k++) {
        assertEquals(a[k], b[k], 1e-5, "latent " + k);
      }
      double[][][] djl = model.rollout(frame, 30, 1, 0);
      double[][][] ort = onnx.forecast(frame, 30, 1, 0);
      for (int t = 0; t <= 30; t++) {
        assertEquals(djl[0][t][0], ort[0][t][0], 1e-4, "step " + t);
      }
    }
    assertEquals("closure", bundle.manifest().method());
    assertEquals(List.of(StepForceParticles.ENERGY), bundle.manifest().macroNames());
    assertTrue(bundle.manifest().files().containsKey("decoder-pytorch"));
  }

  @Test
  void shouldServeAnAffinelyAlignedBundleInTheNewCoordinatesWithTheSameMacroForecast(
      @TempDir Path dir) {
    ModelBundle bundle =
        ClosureBundles.write(dir.resolve("b"), model, "v1", Map.of(), 0.03, trajectories.get(0));
    int d = bundle.manifest().latentDim();
    // an affine map (a reflection-rotation, a shear and unequal scales) and a shift
    double[] r = new double[d * d];
    for (int k = 0; k < d; k++) {
      r[k * d + k] = 1 + 0.5 * k;
    }
    double c = Math.cos(0.9);
    double s = Math.sin(0.9);
    r[0] = 2 * c;
    r[1] = s;
    r[d] = s;
    r[d + 1] = -c;
    r[d - 1] = 0.7;
    double[] t = new double[d];
    for (int k = 0; k < d; k++) {
      t[k] = 0.5 - k;
    }
    LatentAlignment a = new LatentAlignment(r, t, 0, 0);
    ModelBundle aligned = BundleAligner.align(bundle, dir.resolve("b2"), a, "v2", "v1");
    ParticleFrame frame = SIM.simulate(40, 1, 2, 321).get(0);
    try (ClosureForecaster own = new ClosureForecaster(ModelBundle.read(bundle.dir()), 1);
        ClosureForecaster moved = new ClosureForecaster(ModelBundle.read(aligned.dir()), 1)) {
      float[] z = own.encode(List.of(frame));
      float[] zAligned = moved.encode(List.of(frame));
      float[] expected = a.apply(z, 1);
      for (int k = 0; k < d; k++) {
        assertEquals(expected[k], zAligned[k], 1e-5, "encoder output " + k + " is R z + t");
      }
      double[] m0 = {frame.macro(StepForceParticles.ENERGY)};
      double[][][] before = own.forecastState(z, m0, 15, 1, 3);
      double[][][] after = moved.forecastState(zAligned, m0, 15, 1, 3);
      for (int step = 0; step <= 15; step++) {
        float[] zs = new float[d];
        for (int k = 0; k < d; k++) {
          zs[k] = (float) before[0][step][k];
        }
        float[] mapped = a.apply(zs, 1);
        for (int k = 0; k < d; k++) {
          assertEquals(mapped[k], after[0][step][k], 1e-4, "step " + step + " latent " + k);
        }
        assertEquals(before[0][step][d], after[0][step][d], 1e-5, "step " + step + " macro");
      }
      double[][][] macros = moved.forecast(frame, 15, 1, 3);
      assertEquals(before[0][15][d], macros[0][15][0], 1e-5, "forecast from a microstate");
    }
  }

  @Test
  void shouldEncodeACenteredModelTheSameWhereverTheSetLies(@TempDir Path dir) {
    ParticleFrame frame = SIM.simulate(30, 1, 2, 77).get(0);
    float[] moved = frame.positions().clone();
    for (int i = 0; i < frame.n(); i++) {
      moved[2 * i] += 2.5f;
      moved[2 * i + 1] -= 1.25f;
    }
    assertEncodesAlike(
        model.config().toBuilder().optCenter(true), frame, frame.withPositions(moved), dir);
  }

  @Test
  void shouldEncodeAnAlignedModelTheSameHoweverTheSetIsTurnedOrMirrored(@TempDir Path dir) {
    ParticleFrame frame = SIM.simulate(30, 1, 2, 78).get(0);
    ParticleFrame turned = SetFeaturesTest.moved(frame, 2.1, true, new Random(9));
    assertEncodesAlike(model.config().toBuilder().optAlign(true), frame, turned, dir);
  }

  /**
   * The shared model (no centring) sees the difference between frame and copy; a model trained with
   * {@code config} encodes both alike, and so does its bundle served by ONNX Runtime, which records
   * the placement.
   */
  private static void assertEncodesAlike(
      ClosureConfig.Builder config, ParticleFrame frame, ParticleFrame copy, Path dir) {
    float[] plainA = model.encode(List.of(frame));
    float[] plainB = model.encode(List.of(copy));
    double plainMove = 0;
    for (int k = 0; k < plainA.length; k++) {
      plainMove = Math.max(plainMove, Math.abs(plainA[k] - plainB[k]));
    }
    assertTrue(plainMove > 1e-2, "an uncentred model sees the move: " + plainMove);
    ClosureConfig c = config.optAutoencoderEpochs(1).optDynamicsEpochs(3).build();
    try (TrainedClosure placed =
        new ClosureTrainer(c, e -> {})
            .fit(trajectories, List.of(StepForceParticles.ENERGY), List.of())) {
      float[] a = placed.encode(List.of(frame));
      float[] b = placed.encode(List.of(copy));
      for (int k = 0; k < a.length; k++) {
        assertEquals(a[k], b[k], 1e-4, "latent " + k);
      }
      ModelBundle bundle =
          ClosureBundles.write(dir.resolve("c"), placed, "v1", Map.of(), 0.03, trajectories.get(0));
      ModelBundle reread = ModelBundle.read(bundle.dir());
      assertTrue(reread.manifest().closure().centered());
      assertEquals(c.align(), reread.manifest().closure().aligned());
      try (ClosureForecaster onnx = new ClosureForecaster(reread, 1)) {
        float[] served = onnx.encode(List.of(copy));
        for (int k = 0; k < a.length; k++) {
          assertEquals(a[k], served[k], 1e-4, "served latent " + k);
        }
      }
    }
  }

  @Test
  void shouldTrainAndBundleASetTransformerEncoder(@TempDir Path dir) {
    ClosureConfig config =
        model.config().toBuilder()
            .optEncoder(ClosureConfig.Encoder.SET_TRANSFORMER)
            .optAutoencoderEpochs(2)
            .optDynamicsEpochs(5)
            .build();
    List<ClosureEpoch> seen = new ArrayList<>();
    try (TrainedClosure st =
        new ClosureTrainer(config, seen::add)
            .fit(trajectories, List.of(StepForceParticles.ENERGY), List.of())) {
      assertTrue(st.encoder() instanceof SetTransformerBlock);
      // the flow starts as a standard normal (NLL ~ 2.84): the kept epoch explains held-out
      // trajectories' sets better than that
      double kept = bestValidation(seen, "autoencoder");
      assertTrue(kept < 2.8, "validation NLL " + seen);
      ModelBundle bundle =
          ClosureBundles.write(dir.resolve("st"), st, "v1", Map.of(), 0.03, trajectories.get(0));
      assertEquals("set-transformer", bundle.manifest().closure().encoder());
      ParticleFrame big = SIM.simulate(70, 1, 3, 55).get(0);
      ParticleFrame small = SIM.simulate(20, 1, 2, 56).get(0);
      try (ClosureForecaster onnx = new ClosureForecaster(ModelBundle.read(bundle.dir()), 1)) {
        float[] a = st.encode(List.of(big, small));
        float[] b = onnx.encode(List.of(big, small));
        for (int k = 0; k < a.length; k++) {
          assertEquals(a[k], b[k], 1e-4, "latent " + k + ", sets of 70 and 20 in one batch");
        }
        double[][][] djl = st.rollout(big, 20, 1, 0);
        double[][][] ort = onnx.forecast(big, 20, 1, 0);
        assertEquals(djl[0][20][0], ort[0][20][0], 1e-4);
      }
    }
  }

  @Test
  void shouldForecastSeededStochasticEnsembles(@TempDir Path dir) {
    ClosureConfig sde =
        model.config().toBuilder()
            .optStochastic(true)
            .optAutoencoderEpochs(1)
            .optDynamicsEpochs(5)
            .build();
    try (TrainedClosure stochastic =
        new ClosureTrainer(sde, e -> {})
            .fit(trajectories, List.of(StepForceParticles.ENERGY), List.of())) {
      ModelBundle bundle =
          ClosureBundles.write(dir.resolve("sde"), stochastic, "v1", Map.of(), 0.03, List.of());
      assertTrue(bundle.manifest().files().containsKey("diffusion"));
      ParticleFrame frame = trajectories.get(1).get(0);
      try (ClosureForecaster onnx = new ClosureForecaster(ModelBundle.read(bundle.dir()), 1)) {
        double[][][] first = onnx.forecast(frame, 10, 8, 42);
        double[][][] again = onnx.forecast(frame, 10, 8, 42);
        double[][][] djl = stochastic.rollout(frame, 10, 8, 42);
        double spread = 0;
        for (int e = 0; e < 8; e++) {
          assertEquals(first[e][10][0], again[e][10][0], 0, "same seed, same ensemble");
          assertEquals(djl[e][10][0], first[e][10][0], 1e-3, "engines agree");
          spread = Math.max(spread, Math.abs(first[e][10][0] - first[0][10][0]));
        }
        assertTrue(spread > 0, "members differ");
      }
    }
  }

  /** The dynamics alone refitted on the shared model's encoder (its data and split). */
  private static TrainedClosure refit(ClosureConfig config) {
    return refit(config, new ArrayList<>());
  }

  /** As {@link #refit(ClosureConfig)}, recording the epochs in {@code history}. */
  private static TrainedClosure refit(ClosureConfig config, List<ClosureEpoch> history) {
    return new ClosureTrainer(config, history::add)
        .refitDynamics(model, trajectories, List.of(StepForceParticles.ENERGY), List.of());
  }

  /** The drift's parameters in order (weight, bias of each layer). */
  private static List<float[]> parameters(TrainedClosure closure) {
    return closure.drift().getParameters().values().stream()
        .map(p -> p.getArray().toFloatArray())
        .toList();
  }

  /** The lowest validation loss among the epochs of one training stage. */
  private static double bestValidation(List<ClosureEpoch> history, String stage) {
    return history.stream()
        .filter(e -> e.stage().equals(stage))
        .mapToDouble(ClosureEpoch::validationLoss)
        .min()
        .orElseThrow();
  }
}
