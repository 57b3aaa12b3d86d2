package io.macroscope.dynamics.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * The rule holds in the module's sources: no NDArray mul/div/maximum/minimum/pow with a literal
   * constant (or a cast one), which would be DJL's zero-copy form. A constant in a variable is not
   * seen by this check; review covers those.
   */
  @Test
  void shouldFindNoLiteralConstantPassedStraightToAnNDArrayOperation() throws Exception {
    java.util.regex.Pattern literal =
        java.util.regex.Pattern.compile(
            "\\.(mul|div|maximum|minimum|pow)\\(\\s*(\\((float|double|int)\\)\\s*)?[-(]?[0-9]");
    java.util.List<String> found = new java.util.ArrayList<>();
    java.nio.file.Path root = java.nio.file.Path.of("src/main/java");
    int scanned = 0;
    try (var files = java.nio.file.Files.walk(root)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        scanned++;
        java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).replace("Math.pow(", "");
          if (!line.trim().startsWith("*") && literal.matcher(line).find()) {
            found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    assertTrue(scanned > 50, "only " + scanned + " source files found under " + root);
    assertEquals(java.util.List.of(), found, "use Scalars for constants in NDArray operations");
  }

  /** Allocates and fills small direct buffers, as freed constant buffers would be reused. */
  private static void churnDirectMemory() {
    for (int k = 0; k < 200; k++) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(4);
      b.putFloat(0, 1e30f);
    }
  }
}
