package io.macroscope.dynamics.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Constants in a training graph survive a garbage collection between forward and backward. With
 * DJL's own {@code x.mul(3f)} this test measured gradients NaN and -7.9e6 instead of 3.
 */
class ScalarsTest {

  @Test
  void shouldKeepGradientsExactWhenTheCollectorRunsBeforeBackward() throws Exception {
    assertGradient(x -> Scalars.mul(x, 3), 3);
    assertGradient(x -> Scalars.div(x, 4), 0.25);
    assertGradient(x -> Scalars.maximum(x, 0.5), 1); // x = 1 > 0.5
    assertGradient(x -> Scalars.minimum(x, 2), 1); // x = 1 < 2
  }

  private static void assertGradient(UnaryOperator<NDArray> op, double expected) throws Exception {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      for (int rep = 0; rep < 4; rep++) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray x = scope.ones(new Shape(1000));
          x.setRequiresGradient(true);
          try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray y = op.apply(x).sum();
            churnDirectMemory();
            System.gc();
            Thread.sleep(20);
            churnDirectMemory();
            collector.backward(y);
          }
          float[] gradient = x.getGradient().toFloatArray();
          assertEquals(expected, gradient[0], 1e-6, "rep " + rep);
          assertEquals(expected, gradient[999], 1e-6, "rep " + rep);
        }
      }
    }
  }

  /** Allocates and fills small direct buffers, as freed constant buffers would be reused. */
  private static void churnDirectMemory() {
    for (int k = 0; k < 200; k++) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(4);
      b.putFloat(0, 1e30f);
    }
  }
}
