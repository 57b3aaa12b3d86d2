package io.macroscope.dynamics.ae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The prior's move distribution against closed forms, with analytic stand-ins for its networks. */
class LangevinPriorTest {

  private static final float[] Z = {0.3f, -0.2f, -1.1f, 0.7f, 2.0f, 1.5f};
  private static final float A = 0.4f;

  @Test
  void shouldGiveTheItoMeanAndSpreadOfAPositionDependentDiffusion() {
    DynamicsAeConfig config =
        DynamicsAeConfig.builder()
            .setLatentDim(2)
            .optDiffusion(DynamicsAeConfig.Diffusion.POSITION)
            .build();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray z = manager.create(Z, new Shape(3, 2));
      // f(z) = -z, log M(z) = (A z0, -A z1): M = (e^{A z0}, e^{-A z1}),
      // dM0/dz0 = A e^{A z0}, dM1/dz1 = -A e^{-A z1}
      UnaryOperator<NDArray> network =
          in -> in.neg().concat(in.mul(manager.create(new float[] {A, -A}).reshape(1, 2)), 1);
      LangevinPrior.Moves moves = LangevinPrior.moves(network, z, config);
      float[] mean = moves.mean().toFloatArray();
      float[] std = moves.stdValues(3, 2);
      float[] observed = {0.5f, -0.1f, 1.2f, -2.0f, 0.0f, 0.3f};
      double nll = 0;
      for (int r = 0; r < 3; r++) {
        for (int i = 0; i < 2; i++) {
          double zi = Z[2 * r + i];
          double sign = i == 0 ? 1 : -1;
          double m = Math.exp(sign * A * zi);
          double expectedMean = m * -zi + DynamicsAeConfig.DIFFUSION * sign * A * m;
          assertEquals(expectedMean, mean[2 * r + i], 1e-4, "mean, row " + r + " axis " + i);
          assertEquals(Math.sqrt(2 * DynamicsAeConfig.DIFFUSION * m), std[2 * r + i], 1e-5, "std");
          double residual = observed[2 * r + i] - expectedMean;
          nll += residual * residual / (4 * DynamicsAeConfig.DIFFUSION * m) + 0.5 * Math.log(m);
        }
      }
      NDArray moved = manager.create(observed, new Shape(3, 2));
      assertEquals(nll / 3, LangevinPrior.nll(moved, moves).getFloat(), 1e-4);
    }
  }

  @Test
  void shouldKeepTheReferenceFormWithConstantDiffusion() {
    DynamicsAeConfig config = DynamicsAeConfig.builder().setLatentDim(2).build();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray z = manager.create(Z, new Shape(3, 2));
      LangevinPrior.Moves moves = LangevinPrior.moves(NDArray::neg, z, config);
      assertNull(moves.std());
      float[] mean = moves.mean().toFloatArray();
      float[] std = moves.stdValues(3, 2);
      double nll = 0;
      for (int i = 0; i < Z.length; i++) {
        assertEquals(-Z[i], mean[i], 1e-6);
        assertEquals(Math.sqrt(2 * DynamicsAeConfig.DIFFUSION), std[i], 1e-6);
        nll += (0.1 + Z[i]) * (0.1 + Z[i]) / (4 * DynamicsAeConfig.DIFFUSION);
      }
      NDArray moved = manager.full(new Shape(3, 2), 0.1f);
      assertEquals(nll / 3, LangevinPrior.nll(moved, moves).getFloat(), 1e-5);
    }
  }
}
