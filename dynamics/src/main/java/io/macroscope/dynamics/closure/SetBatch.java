package io.macroscope.dynamics.closure;

/**
 * A batch of padded sets, row-major.
 *
 * @param batch sets B
 * @param size padded set size N
 * @param features features per particle F
 * @param slots pooling slots S (species)
 * @param x normalised features (B, N, F), zero where padded
 * @param mask (B, N, S): 1 where particle n of set b belongs to slot s, 0 for padding
 */
public record SetBatch(int batch, int size, int features, int slots, float[] x, float[] mask) {

  /** Number of real particles in set b. */
  public int count(int b) {
    int c = 0;
    for (int i = 0; i < size; i++) {
      for (int s = 0; s < slots; s++) {
        c += mask[(b * size + i) * slots + s] > 0 ? 1 : 0;
      }
    }
    return c;
  }
}
