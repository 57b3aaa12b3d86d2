package io.macroscope.dynamics.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports a trained {@link MlpSpec} network as an ONNX model: one Gemm (x W^T + b) per Linear layer
 * with the activation between, input {@code [batch, inputs]} and output {@code [batch, outputs]}
 * under the given names, so ONNX Runtime (or any ONNX consumer) can serve it.
 *
 * <p>A network whose hidden-to-hidden weights are all block-diagonal with the same K blocks (the
 * mean of K networks, {@link MlpAverage}) is K independent chains up to its output layer; it is
 * written as K branches of narrow Gemms joined by a Concat before the output Gemm, so the zero
 * blocks cost nothing (the same outputs; for K = 4 and 64 units a quarter of the multiply-adds).
 */
public final class OnnxMlp {

  /** ONNX opset the graphs use. */
  public static final int OPSET = 13;

  private OnnxMlp() {}

  /**
   * Serialises {@code block} (built from {@code spec} and initialised) as an ONNX model.
   *
   * @param inputName name of the graph input
   * @param outputName name of the graph output
   */
  public static byte[] export(
      MlpSpec spec, Block block, String graphName, String inputName, String outputName) {
    List<float[][]> layers = linearLayers(block);
    if (layers.size() != spec.hidden().size() + 1) {
      throw new IllegalArgumentException(
          "block has " + layers.size() + " linear layers, spec " + (spec.hidden().size() + 1));
    }
    int previous = spec.inputs();
    for (int i = 0; i < layers.size(); i++) {
      int units = i < spec.hidden().size() ? spec.hidden().get(i) : spec.outputs();
      if (layers.get(i)[0].length != units * previous || layers.get(i)[1].length != units) {
        throw new IllegalArgumentException("layer " + i + " does not match the spec");
      }
      previous = units;
    }
    ONNXContext context = new ONNXContext();
    context.setName(graphName);
    ONNXPlaceholder input = context.floatInput(inputName, spec.inputs());
    ONNXPlaceholder output = context.floatOutput(outputName, spec.outputs());
    int depth = spec.hidden().size();
    int branches = branches(spec, layers);
    List<ONNXRef<?>> ends = new ArrayList<>();
    for (int m = 0; m < branches; m++) {
      ONNXRef<?> current = input;
      int cols = spec.inputs();
      for (int i = 0; i < depth; i++) {
        int rows = spec.hidden().get(i) / branches;
        // the first layer reads every input; later ones only this branch's units
        int width = i == 0 ? cols : cols * branches;
        int col = i == 0 ? 0 : m * cols;
        float[] w = block(layers.get(i)[0], width, m * rows, rows, col, cols);
        float[] b = java.util.Arrays.copyOfRange(layers.get(i)[1], m * rows, (m + 1) * rows);
        String name = branches == 1 ? "" + i : i + "_" + m;
        current = linear(context, current, name, w, b, rows, cols);
        ONNXOperator act = spec.activation() == MlpSpec.Act.RELU ? OnnxOps.RELU : OnnxOps.TANH;
        current = context.operation(act, List.of(current), "act" + name);
        cols = rows;
      }
      ends.add(current);
    }
    ONNXRef<?> hidden =
        branches == 1
            ? ends.get(0)
            : context.operation(
                ONNXOperators.CONCAT, ends, "branches", Map.<String, Object>of("axis", 1));
    int cols = depth == 0 ? spec.inputs() : spec.hidden().get(depth - 1);
    float[][] last = layers.get(depth);
    linear(context, hidden, "" + depth, last[0], last[1], spec.outputs(), cols).assignTo(output);
    return serialize(context);
  }

  /** One Gemm, x W^T + b, with W row-major [rows, cols]. */
  private static ONNXRef<?> linear(
      ONNXContext context, ONNXRef<?> x, String name, float[] w, float[] b, int rows, int cols) {
    ONNXInitializer weight =
        context.floatTensor("w" + name, List.of(rows, cols), buffer -> buffer.put(w));
    ONNXInitializer bias = context.array("b" + name, b);
    return context.operation(
        ONNXOperators.GEMM,
        List.of(x, weight, bias),
        "linear" + name,
        Map.<String, Object>of("transB", 1));
  }

  /**
   * Rows {@code [row, row + rows)} and columns {@code [col, col + cols)} of the row-major weight
   * {@code w} with {@code width} columns.
   */
  private static float[] block(float[] w, int width, int row, int rows, int col, int cols) {
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(w, (row + r) * width + col, out, r * cols, cols);
    }
    return out;
  }

  /**
   * The largest K that makes every hidden-to-hidden weight block-diagonal with K equal blocks
   * (every entry off the blocks exactly zero); 1 for a dense network or one with fewer than two
   * hidden layers, where branches would save nothing.
   */
  static int branches(MlpSpec spec, List<float[][]> layers) {
    List<Integer> hidden = spec.hidden();
    if (hidden.size() < 2) {
      return 1;
    }
    int g = 0;
    for (int h : hidden) {
      for (int a = h; a != 0; ) { // Euclid: g = gcd(g, h)
        int t = g % a;
        g = a;
        a = t;
      }
    }
    for (int k = g; k > 1; k--) {
      if (g % k != 0) {
        continue;
      }
      boolean diagonal = true;
      for (int i = 1; i < hidden.size() && diagonal; i++) {
        diagonal = blockDiagonal(layers.get(i)[0], hidden.get(i), hidden.get(i - 1), k);
      }
      if (diagonal) {
        return k;
      }
    }
    return 1;
  }

  /** Whether row-major {@code w} [rows, cols] is zero outside its K diagonal blocks. */
  private static boolean blockDiagonal(float[] w, int rows, int cols, int k) {
    int blockRows = rows / k;
    int blockCols = cols / k;
    for (int r = 0; r < rows; r++) {
      int m = r / blockRows;
      for (int c = 0; c < cols; c++) {
        if (c / blockCols != m && w[r * cols + c] != 0f) {
          return false;
        }
      }
    }
    return true;
  }

  /** The graph of {@code context} as a serialised ONNX model at {@link #OPSET}. */
  static byte[] serialize(ONNXContext context) {
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(7)
        .setProducerName("macroscope")
        .setGraph(context.buildGraph())
        .addOpsetImport(
            OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET).build())
        .build()
        .toByteArray();
  }

  /** (weight row-major [out, in], bias) of every Linear layer, in order. */
  static List<float[][]> linearLayers(Block block) {
    List<float[][]> layers = new ArrayList<>();
    float[] pendingWeight = null;
    for (Pair<String, Parameter> entry : block.getParameters()) {
      NDArray array = entry.getValue().getArray();
      if (entry.getValue().getType() == Parameter.Type.WEIGHT) {
        pendingWeight = array.toFloatArray();
      } else if (entry.getValue().getType() == Parameter.Type.BIAS) {
        layers.add(new float[][] {pendingWeight, array.toFloatArray()});
        pendingWeight = null;
      }
    }
    return layers;
  }
}
