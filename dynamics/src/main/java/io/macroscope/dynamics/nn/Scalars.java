package io.macroscope.dynamics.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant inside a training graph. DJL's {@code NDArray.mul(Number)} (and div,
 * pow, maximum, minimum) on the PyTorch engine wraps the constant in a tensor over a Java direct
 * buffer without copying and closes it right after the operation; autograd keeps that tensor for
 * the backward pass, and once the garbage collector frees the buffer the gradient reads freed
 * memory. Measured: {@code x.mul(3f)} with a garbage collection between forward and backward gave
 * gradients NaN and -7.9e6 instead of 3, and it made training runs of the same seed differ and skip
 * steps on "non-finite gradients". The constants here are PyTorch-owned tensors ({@code full}),
 * which autograd keeps alive itself.
 */
public final class Scalars {

  private Scalars() {}

  /** A 0-d tensor holding {@code value}, owned by the engine, on {@code like}'s manager. */
  public static NDArray of(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }

  /** {@code a * c}. */
  public static NDArray mul(NDArray a, double c) {
    return a.mul(of(a, c));
  }

  /** {@code a / c}. */
  public static NDArray div(NDArray a, double c) {
    return a.div(of(a, c));
  }

  /** Elementwise max(a, c). */
  public static NDArray maximum(NDArray a, double c) {
    return a.maximum(of(a, c));
  }

  /** Elementwise min(a, c). */
  public static NDArray minimum(NDArray a, double c) {
    return a.minimum(of(a, c));
  }
}
