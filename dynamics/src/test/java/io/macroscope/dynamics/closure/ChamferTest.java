package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The AE-InvE-CD baseline's Chamfer distance against a brute-force loop over point pairs. */
class ChamferTest {

  private static final int B = 3;
  private static final int N = 7;
  private static final int M = 5;
  private static final int F = 3;

  @Test
  void shouldMatchTheNearestNeighbourDistancesComputedPairByPair() {
    Random random = new Random(5);
    float[] a = Gaussians.floats(random, B * N * F);
    float[] b = Gaussians.floats(random, B * M * F);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      float got =
          Objectives.PointReconstruction.chamfer(
                  m.create(a, new Shape(B, N, F)), m.create(b, new Shape(B, M, F)))
              .getFloat();
      double expected = oneWay(a, N, b, M) + oneWay(b, M, a, N);
      assertEquals(expected, got, 1e-5 * Math.max(1, expected));
    }
  }

  @Test
  void shouldBeZeroForASetAgainstItsOwnShuffleAndPullPointsTowardTheTarget() {
    Random random = new Random(6);
    float[] a = Gaussians.floats(random, B * N * F);
    float[] shuffled = new float[a.length];
    for (int s = 0; s < B; s++) {
      for (int i = 0; i < N; i++) {
        int j = (i + 3) % N;
        System.arraycopy(a, (s * N + i) * F, shuffled, (s * N + j) * F, F);
      }
    }
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(a, new Shape(B, N, F));
      assertEquals(
          0,
          Objectives.PointReconstruction.chamfer(x, m.create(shuffled, new Shape(B, N, F)))
              .getFloat(),
          1e-5);

      // a gradient step on the predicted set lowers the distance to a different target
      NDArray target = m.create(Gaussians.floats(random, B * M * F), new Shape(B, M, F));
      x.setRequiresGradient(true);
      float before;
      NDArray grad;
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray d = Objectives.PointReconstruction.chamfer(x, target);
        before = d.getFloat();
        gc.backward(d);
        grad = x.getGradient().duplicate();
      }
      float after =
          Objectives.PointReconstruction.chamfer(x.sub(grad.mul(0.5f)), target).getFloat();
      assertTrue(after < before, "before " + before + ", after " + after);
    }
  }

  /** Mean over the points of a of the squared distance to the nearest point of b, per set. */
  private static double oneWay(float[] a, int na, float[] b, int nb) {
    double sum = 0;
    for (int s = 0; s < B; s++) {
      for (int i = 0; i < na; i++) {
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < nb; j++) {
          double d = 0;
          for (int f = 0; f < F; f++) {
            double diff = a[(s * na + i) * F + f] - b[(s * nb + j) * F + f];
            d += diff * diff;
          }
          best = Math.min(best, d);
        }
        sum += best;
      }
    }
    return sum / (B * na);
  }
}
