package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClosureMetricsTest {

  @Test
  void shouldMeasureRelativeErrorAfterTheInitialStep() {
    double[][] truth = {{5}, {3}, {4}};
    double[][] predicted = {{100}, {3}, {4 + 2.5}};
    // step 0 is the given state and left out: |(0, 2.5)| / |(3, 4)| = 0.5
    assertEquals(0.5, ClosureMetrics.relativeError(predicted, truth), 1e-12);
  }

  @Test
  void shouldScoreMatchingEnsemblesNearZeroAndShiftedOnesHigher() {
    Random r = new Random(1);
    double[][][] a = new double[300][4][1];
    double[][][] b = new double[300][4][1];
    double[][][] shifted = new double[300][4][1];
    for (int i = 0; i < 300; i++) {
      for (int t = 0; t < 4; t++) {
        a[i][t][0] = r.nextGaussian();
        b[i][t][0] = r.nextGaussian();
        shifted[i][t][0] = r.nextGaussian() + 1.5;
      }
    }
    double same = ClosureMetrics.mmd(a, b);
    double far = ClosureMetrics.mmd(shifted, b);
    assertEquals(0, ClosureMetrics.mmd(b, b), 1e-12);
    assertTrue(same < 0.05, "two samples of one distribution: " + same);
    assertTrue(far > 10 * same && far > 0.2, "shifted: " + far + " vs " + same);
  }
}
