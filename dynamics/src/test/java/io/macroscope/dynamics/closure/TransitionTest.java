package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import io.macroscope.dynamics.nn.AdamTrainers;
import io.macroscope.dynamics.nn.MlpSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SDE fit over k-frame increments. The test series are slow random walks w (step sd a) seen
 * through fast independent noise (sd b), s_t = w_t + eta_t. Its k-frame increments have variance k
 * a^2 + 2 b^2, so the per-frame diffusion the fit learns is a^2 + 2 b^2 / k: the fast noise counts
 * fully in a one-step fit and ever less over longer increments.
 */
class TransitionTest {

  private static final double A = 0.05;
  private static final double B = 0.2;

  @Test
  void shouldLearnThePerFrameDiffusionOfTheIncrementsItIsFittedTo() {
    for (int k : new int[] {1, 5}) {
      double sigma = learnedSigma(k);
      System.out.printf("k = %d: learned sigma %.4f%n", k, sigma);
      double expected = Math.sqrt(A * A + 2 * B * B / k);
      assertEquals(expected, sigma, 0.12 * expected, "k = " + k);
    }
  }

  /** Mean learned sigma over the series after fitting windows of k + 1 frames. */
  private static double learnedSigma(int k) {
    Engine.getEngine("PyTorch").setRandomSeed(3);
    Random random = new Random(11);
    // many short series from spread-out starts: the states stay in a range the tanh nets handle,
    // and a state says next to nothing about its own fast noise
    int series = 200;
    int length = 101;
    int frames = series * length;
    float[] s = new float[frames];
    int perSeries = length - k;
    int count = series * perSeries;
    float[] windows = new float[count * (k + 1)];
    for (int j = 0; j < series; j++) {
      double w = -3 + 6 * random.nextDouble();
      for (int t = 0; t < length; t++) {
        w += A * random.nextGaussian();
        s[j * length + t] = (float) (w + B * random.nextGaussian());
      }
      for (int i = 0; i < perSeries; i++) {
        System.arraycopy(s, j * length + i, windows, (j * perSeries + i) * (k + 1), k + 1);
      }
    }
    MlpSpec net = MlpSpec.uniform(1, 16, 2, 1, MlpSpec.Act.TANH);
    Objectives.Transition transition = new Objectives.Transition(net, net);
    // the trainer's own dynamics stage: the last 20 series validate
    int split = 180 * perSeries * (k + 1);
    ClosureConfig config =
        ClosureConfig.builder()
            .optSdeSteps(k)
            .optDynamicsEpochs(30)
            .optDynamicsBatch(512)
            .optLearningRate(3e-3f)
            .build();
    try (Model model = Model.newInstance("transition", "PyTorch")) {
      model.setBlock(transition);
      try (Trainer trainer = AdamTrainers.of(model, config.learningRate())) {
        trainer.initialize(new Shape(1, k + 1, 1));
        new ClosureTrainer(config, e -> {})
            .trainDynamics(
                trainer,
                java.util.Arrays.copyOfRange(windows, 0, split),
                java.util.Arrays.copyOfRange(windows, split, windows.length),
                k + 1,
                1,
                new java.util.ArrayList<>(),
                random);
        try (NDManager scope = trainer.getManager().newSubManager()) {
          NDArray states = scope.create(s, new Shape(frames, 1));
          NDArray logSigma = transition.logSigma(new ParameterStore(scope, false), states, false);
          return logSigma.exp().mean().getFloat();
        }
      }
    }
  }
}
