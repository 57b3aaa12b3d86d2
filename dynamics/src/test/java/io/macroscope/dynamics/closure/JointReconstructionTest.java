package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.macroscope.dynamics.nn.MlpSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The joint fine-tune's objective is the reconstruction of the first microstates plus lambda / D
 * times the transition loss of the pairs' states, computed here piece by piece.
 */
class JointReconstructionTest {

  private static final int B = 3;
  private static final int N = 6;
  private static final int D = 2;
  private static final int SAMPLES = 8;
  private static final double LAMBDA = 40;

  @Test
  void shouldAddLambdaPerComponentTimesTheTransitionLossToTheReconstruction() {
    Random random = new Random(9);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      MlpSpec phi = MlpSpec.uniform(2, 8, 2, 8, MlpSpec.Act.RELU);
      MlpSpec rho = MlpSpec.uniform(8, 8, 1, D, MlpSpec.Act.RELU);
      Objectives.FlowReconstruction rec =
          new Objectives.FlowReconstruction(
              new DeepSetBlock(phi, rho, 1),
              new ConditionalSplineFlow(2, D, 2, 4, 8, 5f, 0.01f),
              1);
      rec.initialize(m, DataType.FLOAT32, new Shape(1, 1, 2), new Shape(1, 1, 1));
      MlpSpec drift = MlpSpec.uniform(D + 1, 8, 2, D + 1, MlpSpec.Act.TANH);
      Objectives.Transition transition = new Objectives.Transition(drift, null);
      Objectives.JointReconstruction joint =
          new Objectives.JointReconstruction(rec, transition, LAMBDA);
      joint.initialize(m, DataType.FLOAT32, new Shape(1, 1, 2), new Shape(1, 1, 1));

      NDArray x0 = m.create(Gaussians.floats(random, B * N * 2), new Shape(B, N, 2));
      NDArray x1 = m.create(Gaussians.floats(random, B * N * 2), new Shape(B, N, 2));
      NDArray mask = m.ones(new Shape(B, N, 1));
      NDArray y = m.create(Gaussians.floats(random, SAMPLES * 2), new Shape(SAMPLES, 2));
      int[] set = new int[SAMPLES];
      for (int i = 0; i < SAMPLES; i++) {
        set[i] = i % B;
      }
      NDArray m0 = m.create(Gaussians.floats(random, B), new Shape(B, 1));
      NDArray m1 = m.create(Gaussians.floats(random, B), new Shape(B, 1));
      NDArray shift = m.create(new float[] {0.3f, -0.2f}, new Shape(1, D));
      NDArray factor = m.create(new float[] {2f, 0.5f, 3f}, new Shape(1, D + 1));
      NDList in =
          new NDList(
              x0,
              mask,
              y,
              m.create(set),
              m.ones(new Shape(SAMPLES, 1)),
              x1,
              mask,
              m0,
              m1,
              shift,
              factor);

      ParameterStore store = new ParameterStore(m, false);
      double total = joint.forward(store, in, false).head().getFloat();
      double reconstruction = rec.forward(store, in.subNDList(0, 5), false).head().getFloat();
      NDArray z0 = rec.encoder.forward(store, new NDList(x0, mask), false).head();
      NDArray z1 = rec.encoder.forward(store, new NDList(x1, mask), false).head();
      NDArray s0 = z0.sub(shift).concat(m0, 1).mul(factor);
      NDArray s1 = z1.sub(shift).concat(m1, 1).mul(factor);
      double dynamics = transition.loss(store, s0, s1, false).getFloat();
      assertTrue(dynamics > 0.01, "a random pair is not predicted: " + dynamics);
      double expected = reconstruction + LAMBDA / (D + 1) * dynamics;
      assertEquals(expected, total, 1e-5 * Math.abs(expected));
    }
  }
}
