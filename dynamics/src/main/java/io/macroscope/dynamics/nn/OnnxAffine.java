package io.macroscope.dynamics.nn;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Folds a latent isometry into exported ONNX graphs (row vectors, as the graphs compute them):
 * after an output, {@code y' = y R^T + t}; before an input, {@code x = (x' - t) R}. The graphs keep
 * their input and output names, so a server cannot tell an aligned network from another.
 */
public final class OnnxAffine {

  private OnnxAffine() {}

  /**
   * {@code output} becomes {@code output · R^T + t} ({@code shift} may be null for a pure
   * rotation).
   */
  public static byte[] afterOutput(byte[] model, String output, double[] rotation, double[] shift) {
    OnnxMl.ModelProto m = parse(model);
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    int d = shift == null ? (int) Math.round(Math.sqrt(rotation.length)) : shift.length;
    String raw = output + "_unaligned";
    rename(g, output, raw, true);
    String rt = output + "_align_rt";
    g.addInitializer(matrix(rt, transpose(rotation, d), d));
    String rotated = shift == null ? output : output + "_align_rotated";
    g.addNode(node("MatMul", output + "_align_matmul", rotated, raw, rt));
    if (shift != null) {
      String t = output + "_align_t";
      g.addInitializer(vector(t, shift));
      g.addNode(node("Add", output + "_align_add", output, rotated, t));
    }
    return m.toBuilder().setGraph(g).build().toByteArray();
  }

  /** The graph reads {@code input} as {@code (input - t) · R}. */
  public static byte[] beforeInput(byte[] model, String input, double[] rotation, double[] shift) {
    OnnxMl.ModelProto m = parse(model);
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    int d = shift.length;
    String inner = input + "_aligned_inner";
    rename(g, input, inner, false);
    String t = input + "_align_t";
    String r = input + "_align_r";
    String shifted = input + "_align_shifted";
    g.addInitializer(vector(t, shift));
    g.addInitializer(matrix(r, rotation, d));
    g.addNode(0, node("Sub", input + "_align_sub", shifted, input, t));
    g.addNode(1, node("MatMul", input + "_align_matmul", inner, shifted, r));
    return m.toBuilder().setGraph(g).build().toByteArray();
  }

  /** Renames a value: as produced by nodes ({@code produced}) or as consumed by them. */
  private static void rename(
      OnnxMl.GraphProto.Builder g, String from, String to, boolean produced) {
    boolean found = false;
    for (int i = 0; i < g.getNodeCount(); i++) {
      OnnxMl.NodeProto.Builder n = g.getNode(i).toBuilder();
      boolean changed = false;
      if (produced) {
        for (int k = 0; k < n.getOutputCount(); k++) {
          if (n.getOutput(k).equals(from)) {
            n.setOutput(k, to);
            changed = true;
          }
        }
      }
      for (int k = 0; k < n.getInputCount(); k++) {
        if (n.getInput(k).equals(from)) {
          n.setInput(k, to);
          changed = true;
        }
      }
      if (changed) {
        g.setNode(i, n);
        found = true;
      }
    }
    if (!found) {
      throw new IllegalArgumentException("the graph has no value named " + from);
    }
  }

  private static OnnxMl.NodeProto node(String op, String name, String output, String... inputs) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name);
    for (String in : inputs) {
      n.addInput(in);
    }
    return n.addOutput(output).build();
  }

  private static OnnxMl.TensorProto matrix(String name, double[] rowMajor, int d) {
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
            .addDims(d)
            .addDims(d);
    for (double v : rowMajor) {
      t.addFloatData((float) v);
    }
    return t.build();
  }

  private static OnnxMl.TensorProto vector(String name, double[] values) {
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
            .addDims(values.length);
    for (double v : values) {
      t.addFloatData((float) v);
    }
    return t.build();
  }

  private static double[] transpose(double[] m, int d) {
    double[] t = new double[d * d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        t[b * d + a] = m[a * d + b];
      }
    }
    return t;
  }

  private static OnnxMl.ModelProto parse(byte[] model) {
    try {
      return OnnxMl.ModelProto.parseFrom(model);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
  }
}
