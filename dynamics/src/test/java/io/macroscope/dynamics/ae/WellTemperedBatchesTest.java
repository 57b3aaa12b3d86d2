package io.macroscope.dynamics.ae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WellTemperedBatchesTest {

  @Test
  void shouldDrawEachBatchFromOneBinWithTemperedShares() {
    // Bins of 9000 and 1000 samples: with gamma = 2 the shares go as sqrt(9000) : sqrt(1000) = 3 :
    // 1.
    int[] labels = new int[10000];
    for (int i = 9000; i < 10000; i++) {
      labels[i] = 1;
    }
    List<int[]> batches =
        WellTemperedBatches.plan(labels, new int[] {9000, 1000}, 50, 2.0, new Random(1));
    int[] perBin = new int[2];
    for (int[] batch : batches) {
      int bin = labels[batch[0]];
      for (int index : batch) {
        assertEquals(bin, labels[index], "a batch mixes bins");
      }
      perBin[bin]++;
    }
    assertEquals(3.0, perBin[0] / (double) perBin[1], 0.1);
    assertEquals(10000 / 50, batches.size(), 2);
  }

  @Test
  void shouldRefuseWhenTooFewSamplesLieInUsableBins() {
    int[] labels = new int[1000];
    int[] counts = new int[10];
    for (int i = 0; i < 1000; i++) {
      labels[i] = i % 10;
      counts[i % 10]++;
    }
    assertThrows(
        IllegalStateException.class,
        () -> WellTemperedBatches.plan(labels, counts, 256, 2.0, new Random(1)));
  }
}
