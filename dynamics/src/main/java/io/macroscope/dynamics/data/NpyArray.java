package io.macroscope.dynamics.data;

import java.util.Arrays;

/**
 * A dense array read from or written to a NumPy {@code .npy} file, held as float32 in C order.
 *
 * @param shape dimensions, outermost first
 * @param data values in C (row-major) order
 * @param dtype NumPy dtype string of the file it came from (e.g. {@code <f4}, {@code |u1})
 */
public record NpyArray(int[] shape, float[] data, String dtype) {

  public NpyArray {
    long n = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= s;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  /** Number of rows (the first dimension). */
  public int rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** Values per row (product of the remaining dimensions). */
  public int rowSize() {
    return rows() == 0 ? 0 : data.length / rows();
  }
}
