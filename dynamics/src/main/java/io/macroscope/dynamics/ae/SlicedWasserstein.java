package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Sliced-Wasserstein distance (p = 2) between two equally sized sample sets: project both on L
 * random unit directions, sort each projection, and average the squared differences of the sorted
 * values. The sort is inside the autograd graph, so gradients reach both sets.
 */
public final class SlicedWasserstein {

  private SlicedWasserstein() {}

  /** L random directions, uniform on the unit sphere in R^d, as a (d, L) array. */
  public static NDArray directions(NDManager manager, int dim, int projections) {
    NDArray theta = manager.randomNormal(new Shape(dim, projections));
    return theta.div(theta.norm(new int[] {0}, true));
  }

  /**
   * SW_2^2 between the rows of {@code a} and {@code b} (both (n, d)) along {@code theta} (d, L).
   */
  public static NDArray distance(NDArray a, NDArray b, NDArray theta) {
    if (!a.getShape().equals(b.getShape())) {
      throw new IllegalArgumentException(
          "sample sets must have the same shape, got " + a.getShape() + " and " + b.getShape());
    }
    NDArray pa = a.matMul(theta).sort(0);
    NDArray pb = b.matMul(theta).sort(0);
    return pa.sub(pb).square().mean();
  }
}
