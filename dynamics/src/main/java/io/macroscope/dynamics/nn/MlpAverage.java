package io.macroscope.dynamics.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;

/**
 * The mean of K trained MLPs of one shape, written as one MLP K times as wide: the members' hidden
 * units side by side (first layer stacked, later hidden layers block-diagonal) and the output layer
 * averaging them. The activation acts unit by unit, so the wide net computes exactly the mean of
 * the members' outputs, and it stays a plain {@link MlpSpec} network: it exports to ONNX and serves
 * like any other.
 */
public final class MlpAverage {

  private MlpAverage() {}

  /** The shape of the mean of {@code members} networks of shape {@code spec}. */
  public static MlpSpec widened(MlpSpec spec, int members) {
    return new MlpSpec(
        spec.inputs(),
        spec.hidden().stream().map(h -> h * members).toList(),
        spec.outputs(),
        spec.activation());
  }

  /**
   * Overwrites the parameters of {@code target}, an initialised block of shape {@link #widened},
   * with the mean of {@code members} (trained blocks of shape {@code spec}, left as they are).
   */
  public static void assignMean(List<Block> members, MlpSpec spec, Block target) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("averaging needs at least one network");
    }
    int k = members.size();
    List<List<float[][]>> layers = members.stream().map(OnnxMlp::linearLayers).toList();
    List<Integer> widths = new java.util.ArrayList<>(spec.hidden());
    widths.add(spec.outputs());
    int depth = widths.size();
    List<Parameter> params =
        target.getParameters().stream()
            .map(Pair::getValue)
            .filter(p -> p.getType() == Parameter.Type.WEIGHT || p.getType() == Parameter.Type.BIAS)
            .toList();
    if (params.size() != 2 * depth) {
      throw new IllegalArgumentException("the target is not a network of shape " + spec);
    }
    for (int i = 0; i < depth; i++) {
      int rows = widths.get(i);
      int cols = i == 0 ? spec.inputs() : widths.get(i - 1);
      boolean wideRows = i < depth - 1; // a hidden layer: every member keeps its own units
      boolean wideCols = i > 0; // fed by the members' side-by-side hidden units
      float[] w = new float[(wideRows ? k * rows : rows) * (wideCols ? k * cols : cols)];
      float[] b = new float[wideRows ? k * rows : rows];
      int stride = wideCols ? k * cols : cols;
      for (int m = 0; m < k; m++) {
        if (layers.get(m).size() != depth) {
          throw new IllegalArgumentException("network " + m + " does not have the shape " + spec);
        }
        float[] wm = layers.get(m).get(i)[0];
        float[] bm = layers.get(m).get(i)[1];
        if (wm.length != rows * cols || bm.length != rows) {
          throw new IllegalArgumentException("network " + m + " does not have the shape " + spec);
        }
        int rowOffset = wideRows ? m * rows : 0;
        int colOffset = wideCols ? m * cols : 0;
        // a member's share of the output layer (and of a one-layer net) is 1/K of it
        float scale = wideRows ? 1f : 1f / k;
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            w[(rowOffset + r) * stride + colOffset + c] += scale * wm[r * cols + c];
          }
          b[rowOffset + r] += scale * bm[r];
        }
      }
      replace(params.get(2 * i).getArray(), w);
      replace(params.get(2 * i + 1).getArray(), b);
    }
  }

  /**
   * Gives {@code array} new values of the same shape, in place (the parameter keeps its array). The
   * values are cloned into memory the engine owns before the swap: an array created from Java data
   * on the PyTorch engine wraps a direct buffer that only its own Java object keeps alive, so
   * swapping that handle in would leave the parameter reading freed memory after the next garbage
   * collection (seen: an averaged drift that forecast junk, in one run of two).
   */
  private static void replace(NDArray array, float[] values) {
    if (values.length != array.size()) {
      throw new IllegalArgumentException(
          "the target is not a widened network: " + array.getShape() + " vs " + values.length);
    }
    try (NDArray wrapped = array.getManager().create(values, array.getShape())) {
      array.intern(wrapped.duplicate());
    }
  }
}
