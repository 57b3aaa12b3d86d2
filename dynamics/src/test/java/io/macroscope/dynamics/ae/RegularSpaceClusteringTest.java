package io.macroscope.dynamics.ae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RegularSpaceClusteringTest {

  private static float[] cloud(int n, long seed, double spread) {
    Random r = new Random(seed);
    float[] p = new float[2 * n];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (r.nextGaussian() * spread);
    }
    return p;
  }

  @Test
  void shouldKeepCentresAtLeastDMinApartAndAssignNearest() {
    float[] points = cloud(3000, 1, 4);
    double dMin = 2.5;
    var result = RegularSpaceClustering.cluster(points, 3000, 2, dMin);
    double[] c = result.centres();
    for (int i = 0; i < result.k(); i++) {
      for (int j = i + 1; j < result.k(); j++) {
        double dist = Math.hypot(c[2 * i] - c[2 * j], c[2 * i + 1] - c[2 * j + 1]);
        assertTrue(dist >= dMin, "centres " + i + "," + j + " only " + dist + " apart");
      }
    }
    int total = 0;
    for (int i = 0; i < 3000; i++) {
      int label = result.labels()[i];
      double own = Math.hypot(points[2 * i] - c[2 * label], points[2 * i + 1] - c[2 * label + 1]);
      for (int k = 0; k < result.k(); k++) {
        double other = Math.hypot(points[2 * i] - c[2 * k], points[2 * i + 1] - c[2 * k + 1]);
        assertTrue(own <= other + 1e-9);
      }
      assertTrue(own < dMin, "every point lies within d_min of its centre");
    }
    for (int count : result.counts()) {
      total += count;
    }
    assertEquals(3000, total);
  }

  @Test
  void shouldRefuseTooManyCentres() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> RegularSpaceClustering.cluster(cloud(5000, 2, 50), 5000, 2, 0.5));
    assertTrue(e.getMessage().contains("raise --dmin"));
  }
}
