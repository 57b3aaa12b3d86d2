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
    ONNXContext context = new ONNXContext();
    context.setName(graphName);
    ONNXPlaceholder input = context.floatInput(inputName, spec.inputs());
    ONNXPlaceholder output = context.floatOutput(outputName, spec.outputs());
    ONNXRef<?> current = input;
    int previous = spec.inputs();
    for (int i = 0; i < layers.size(); i++) {
      int units = i < spec.hidden().size() ? spec.hidden().get(i) : spec.outputs();
      float[] weight = layers.get(i)[0];
      float[] bias = layers.get(i)[1];
      if (weight.length != units * previous || bias.length != units) {
        throw new IllegalArgumentException("layer " + i + " does not match the spec");
      }
      final int rows = units;
      final int cols = previous;
      ONNXInitializer w =
          context.floatTensor("w" + i, List.of(rows, cols), buffer -> buffer.put(weight));
      ONNXInitializer b = context.array("b" + i, bias);
      List<ONNXRef<?>> operands = List.of(current, w, b);
      current =
          context.operation(
              ONNXOperators.GEMM, operands, "linear" + i, Map.<String, Object>of("transB", 1));
      if (i < spec.hidden().size()) {
        ONNXOperator act = spec.activation() == MlpSpec.Act.RELU ? OnnxOps.RELU : OnnxOps.TANH;
        current = context.operation(act, List.of(current), "act" + i);
      }
      previous = units;
    }
    current.assignTo(output);
    return serialize(context);
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
