package io.macroscope.dynamics.nn;

import ai.djl.nn.Block;
import ai.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports a DeepSet encoder as ONNX: inputs {@code x} [batch, n, F] and {@code mask} [batch, n, S]
 * with symbolic batch and set size, output {@code z} [batch, d]. phi runs as MatMul + Add on every
 * particle, the masked mean per slot as Transpose(mask) x h divided by the slot counts (at least
 * one), rho as Gemm layers. Any set size runs, as in training.
 */
public final class OnnxDeepSet {

  private OnnxDeepSet() {}

  /**
   * @param phi per-particle network spec and its initialised block
   * @param rho set network spec and its initialised block
   * @param slots pooling slots S
   */
  public static byte[] export(MlpSpec phi, Block phiBlock, MlpSpec rho, Block rhoBlock, int slots) {
    ONNXContext c = new ONNXContext();
    c.setName("deepset-encoder");
    ONNXPlaceholder x = c.floatInput("x", phi.inputs());
    ONNXPlaceholder mask = c.floatInput("mask", slots);
    ONNXPlaceholder z = c.floatOutput("z", rho.outputs());
    ONNXRef<?> h = x;
    List<float[][]> phiLayers = OnnxMlp.linearLayers(phiBlock);
    int previous = phi.inputs();
    for (int i = 0; i < phiLayers.size(); i++) {
      int units = i < phi.hidden().size() ? phi.hidden().get(i) : phi.outputs();
      float[] w = transpose(phiLayers.get(i)[0], units, previous);
      final int in = previous;
      ONNXInitializer weight =
          c.floatTensor("phi_w" + i, List.of(in, units), buffer -> buffer.put(w));
      h = c.operation(OnnxOps.MATMUL, List.of(h, weight), "phi_matmul" + i);
      h =
          c.operation(
              ONNXOperators.ADD,
              List.of(h, c.array("phi_b" + i, phiLayers.get(i)[1])),
              "phi_add" + i);
      if (i < phi.hidden().size()) {
        h = c.operation(activation(phi), List.of(h), "phi_act" + i);
      }
      previous = units;
    }
    ONNXRef<?> maskT =
        c.operation(
            OnnxOps.TRANSPOSE, List.of(mask), "mask_t", Map.of("perm", new int[] {0, 2, 1}));
    ONNXRef<?> sums = c.operation(OnnxOps.MATMUL, List.of(maskT, h), "pool_sum");
    ONNXRef<?> counts =
        c.operation(
            OnnxOps.REDUCE_SUM,
            List.of(maskT, c.array("count_axes", new long[] {2})),
            "counts",
            Map.of("keepdims", 1));
    counts = c.operation(OnnxOps.MAX, List.of(counts, c.constant("one", 1f)), "counts_min1");
    ONNXRef<?> means = c.operation(ONNXOperators.DIV, List.of(sums, counts), "pool_mean");
    ONNXRef<?> flat =
        c.operation(
            OnnxOps.RESHAPE,
            List.of(means, c.array("flat_shape", new long[] {0, (long) slots * phi.outputs()})),
            "flatten");
    List<float[][]> rhoLayers = OnnxMlp.linearLayers(rhoBlock);
    ONNXRef<?> current = flat;
    previous = rho.inputs();
    for (int i = 0; i < rhoLayers.size(); i++) {
      int units = i < rho.hidden().size() ? rho.hidden().get(i) : rho.outputs();
      float[] w = rhoLayers.get(i)[0];
      final int rows = units;
      final int cols = previous;
      ONNXInitializer weight = c.floatTensor("rho_w" + i, List.of(rows, cols), b -> b.put(w));
      current =
          c.operation(
              ONNXOperators.GEMM,
              List.of(current, weight, c.array("rho_b" + i, rhoLayers.get(i)[1])),
              "rho_linear" + i,
              Map.<String, Object>of("transB", 1));
      if (i < rho.hidden().size()) {
        current = c.operation(activation(rho), List.of(current), "rho_act" + i);
      }
      previous = units;
    }
    current.assignTo(z);
    OnnxMl.GraphProto graph = c.buildGraph();
    OnnxMl.GraphProto.Builder fixed = graph.toBuilder().clearInput();
    for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
      int last = input.getName().equals("x") ? phi.inputs() : slots;
      fixed.addInput(setInput(input, last));
    }
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(7)
        .setProducerName("macroscope")
        .setGraph(fixed.build())
        .addOpsetImport(
            OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxMlp.OPSET).build())
        .build()
        .toByteArray();
  }

  /** The input declared as [batch, n, last] with symbolic batch and set size. */
  private static OnnxMl.ValueInfoProto setInput(OnnxMl.ValueInfoProto input, int last) {
    OnnxMl.TensorShapeProto shape =
        OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("n"))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(last))
            .build();
    OnnxMl.TypeProto.Tensor tensor =
        input.getType().getTensorType().toBuilder().setShape(shape).build();
    return input.toBuilder().setType(input.getType().toBuilder().setTensorType(tensor)).build();
  }

  private static OnnxOps activation(MlpSpec spec) {
    return spec.activation() == MlpSpec.Act.RELU ? OnnxOps.RELU : OnnxOps.TANH;
  }

  /** Row-major [rows, cols] to row-major [cols, rows]. */
  private static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < cols; k++) {
        t[k * rows + r] = m[r * cols + k];
      }
    }
    return t;
  }
}
