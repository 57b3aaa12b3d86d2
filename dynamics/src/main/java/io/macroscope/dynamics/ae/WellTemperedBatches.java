package io.macroscope.dynamics.ae;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The per-epoch batch plan of Dynamics-AE: bin k gets N_k proportional to (its size)^(1/gamma)
 * samples (drawn with replacement), so rarely visited regions are seen more often (well-tempered,
 * gamma >= 1), and every minibatch is drawn from ONE bin, so the sliced-Wasserstein loss compares
 * distributions of moves within one region of latent space.
 */
public final class WellTemperedBatches {

  /** Minimum share of samples that must lie in bins larger than one batch. */
  public static final double MIN_COVERED_FRACTION = 0.8;

  private WellTemperedBatches() {}

  /**
   * Plans one epoch.
   *
   * @param labels bin of every sample (index into the sample array)
   * @param counts samples per bin
   * @param batchSize samples per minibatch; bins with fewer samples are skipped
   * @param gamma tempering exponent (>= 1; 1 keeps the natural proportions)
   * @param random source of the draws
   * @return minibatches of sample indices, shuffled across bins
   * @throws IllegalStateException if less than 80 % of the samples lie in usable bins
   */
  public static List<int[]> plan(
      int[] labels, int[] counts, int batchSize, double gamma, Random random) {
    if (!(gamma >= 1)) {
      throw new IllegalArgumentException("gamma must be >= 1, got " + gamma);
    }
    int k = counts.length;
    int[][] members = new int[k][];
    int[] fill = new int[k];
    for (int b = 0; b < k; b++) {
      members[b] = new int[counts[b]];
    }
    for (int i = 0; i < labels.length; i++) {
      members[labels[i]][fill[labels[i]]++] = i;
    }
    long covered = 0;
    double weightSum = 0;
    for (int b = 0; b < k; b++) {
      if (counts[b] >= batchSize) {
        covered += counts[b];
        weightSum += Math.pow(counts[b], 1.0 / gamma);
      }
    }
    if (covered < MIN_COVERED_FRACTION * labels.length) {
      throw new IllegalStateException(
          String.format(
              "only %.0f%% of the samples lie in bins of at least %d samples (need %.0f%%): lower"
                  + " --dmin or --batch",
              100.0 * covered / labels.length, batchSize, 100 * MIN_COVERED_FRACTION));
    }
    int total = labels.length;
    List<int[]> batches = new ArrayList<>();
    for (int b = 0; b < k; b++) {
      if (counts[b] < batchSize) {
        continue;
      }
      long share = Math.round(total * Math.pow(counts[b], 1.0 / gamma) / weightSum);
      long batchesHere = Math.max(1, share / batchSize);
      for (long j = 0; j < batchesHere; j++) {
        int[] batch = new int[batchSize];
        for (int s = 0; s < batchSize; s++) {
          batch[s] = members[b][random.nextInt(counts[b])];
        }
        batches.add(batch);
      }
    }
    Collections.shuffle(batches, random);
    return batches;
  }
}
