package io.macroscope.dynamics.closure;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A batch of padded sets, row-major.
 *
 * @param batch sets B
 * @param size padded set size N
 * @param features features per particle F
 * @param slots pooling slots S (species)
 * @param x normalised features (B, N, F), zero where padded
 * @param mask (B, N, S): 1 where particle n of set b belongs to slot s, 0 for padding
 * @param counts real particles per set (they occupy rows 0 .. count - 1)
 */
public record SetBatch(
    int batch, int size, int features, int slots, float[] x, float[] mask, int[] counts) {

  /** The encoder's inputs: x (B, N, F) and mask (B, N, S), created in {@code manager}. */
  public NDList arrays(NDManager manager) {
    return new NDList(
        manager.create(x, new Shape(batch, size, features)),
        manager.create(mask, new Shape(batch, size, slots)));
  }

  /** Slot of particle i of set b. */
  public int slot(int b, int i) {
    for (int s = 0; s < slots; s++) {
      if (mask[(b * size + i) * slots + s] > 0) {
        return s;
      }
    }
    return -1;
  }
}
