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
 * Exports set encoders as ONNX: inputs {@code x} [batch, n, F] and {@code mask} [batch, n, S] with
 * symbolic batch and set size, output {@code z} [batch, d], so any set size runs, as in training.
 * phi runs as MatMul + Add on every particle and rho as Gemm layers in both.
 *
 * <ul>
 *   <li>DeepSet: the masked mean per slot as Transpose(mask) x h divided by the slot counts (at
 *       least one).
 *   <li>Set Transformer: multi-head attention as Reshape/Transpose/MatMul/Softmax, masked keys by a
 *       -1e9 logit bias; the learned inducing points and seeds enter as constants with their query
 *       maps already applied.
 * </ul>
 */
public final class OnnxSetEncoders {

  private static final float MASKED = -1e9f;
  private static final float LAYER_NORM_EPSILON = 1e-5f;

  private OnnxSetEncoders() {}

  /**
   * @param phi per-particle network spec and its initialised block
   * @param rho set network spec and its initialised block
   * @param slots pooling slots S
   */
  public static byte[] deepSet(
      MlpSpec phi, Block phiBlock, MlpSpec rho, Block rhoBlock, int slots) {
    ONNXContext c = new ONNXContext();
    c.setName("deepset-encoder");
    ONNXPlaceholder x = c.floatInput("x", phi.inputs());
    ONNXPlaceholder mask = c.floatInput("mask", slots);
    ONNXPlaceholder z = c.floatOutput("z", rho.outputs());
    ONNXRef<?> h = particleMlp(c, phi, phiBlock, x);
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
    setMlp(c, rho, rhoBlock, flatten(c, means, (long) slots * phi.outputs())).assignTo(z);
    return model(c, phi.inputs(), slots);
  }

  /**
   * @param maps per attention block (ISAB in, ISAB out, PMA) its query, key, value and output
   *     Linear blocks
   * @param inducing inducing points (1, m, H), row-major
   * @param seeds pooling seeds (1, S, H), row-major
   */
  public static byte[] setTransformer(
      MlpSpec phi,
      Block phiBlock,
      MlpSpec rho,
      Block rhoBlock,
      int slots,
      int heads,
      Block[][] maps,
      float[] inducing,
      float[] seeds) {
    int width = phi.outputs();
    ONNXContext c = new ONNXContext();
    c.setName("set-transformer-encoder");
    ONNXPlaceholder x = c.floatInput("x", phi.inputs());
    ONNXPlaceholder mask = c.floatInput("mask", slots);
    ONNXPlaceholder z = c.floatOutput("z", rho.outputs());
    ONNXRef<?> h = particleMlp(c, phi, phiBlock, x);
    ONNXRef<?> one = c.constant("one", 1f);
    ONNXRef<?> big = c.constant("masked", -MASKED);
    // particle keys: logit bias 0 for a particle, -1e9 for padding, as (B, 1, 1, N)
    ONNXRef<?> any =
        c.operation(
            OnnxOps.REDUCE_SUM,
            List.of(mask, c.array("any_axes", new long[] {2})),
            "any",
            Map.of("keepdims", 0));
    ONNXRef<?> particleBias =
        c.operation(
            OnnxOps.RESHAPE,
            List.of(
                c.operation(
                    ONNXOperators.MUL,
                    List.of(c.operation(ONNXOperators.SUB, List.of(any, one), "any_m1"), big),
                    "particle_bias_flat"),
                c.array("bias_shape", new long[] {0, 1, 1, -1})),
            "particle_bias");
    Attention isabIn = new Attention(c, "isab_in", maps[0], width, heads);
    ONNXRef<?> induced = isabIn.constantQuery(inducing, h, particleBias, null);
    Attention isabOut = new Attention(c, "isab_out", maps[1], width, heads);
    ONNXRef<?> mixed = isabOut.apply(h, induced, null, null);
    ONNXRef<?> slotMask =
        c.operation(
            OnnxOps.TRANSPOSE, List.of(mask), "slot_mask", Map.of("perm", new int[] {0, 2, 1}));
    ONNXRef<?> slotBias =
        c.operation(
            OnnxOps.RESHAPE,
            List.of(
                c.operation(
                    ONNXOperators.MUL,
                    List.of(c.operation(ONNXOperators.SUB, List.of(slotMask, one), "slot_m1"), big),
                    "slot_bias_flat"),
                c.array("slot_bias_shape", new long[] {0, 1, slots, -1})),
            "slot_bias");
    ONNXRef<?> present =
        c.operation(
            OnnxOps.MIN,
            List.of(
                c.operation(
                    OnnxOps.REDUCE_SUM,
                    List.of(slotMask, c.array("slot_axes", new long[] {2})),
                    "slot_counts",
                    Map.of("keepdims", 1)),
                one),
            "slot_present");
    Attention pma = new Attention(c, "pma", maps[2], width, heads);
    ONNXRef<?> pooled = pma.constantQuery(seeds, mixed, slotBias, present);
    setMlp(c, rho, rhoBlock, flatten(c, pooled, (long) slots * width)).assignTo(z);
    return model(c, phi.inputs(), slots);
  }

  /** One MAB(Q, K): H = Qp + MultiHead(Qp, Kp, Vp), out = H + relu(H W_o + b_o). */
  private static final class Attention {
    private final ONNXContext c;
    private final String name;
    private final List<float[][]> maps;
    private final int width;
    private final int heads;
    private final int dk;

    Attention(ONNXContext c, String name, Block[] blocks, int width, int heads) {
      this.c = c;
      this.name = name;
      this.maps = new java.util.ArrayList<>();
      for (Block b : blocks) {
        maps.add(OnnxMlp.linearLayers(b).get(0));
      }
      this.width = width;
      this.heads = heads;
      this.dk = width / heads;
    }

    /** Queries that are learned constants (1, m, H): their query map applied here. */
    ONNXRef<?> constantQuery(float[] query, ONNXRef<?> keys, ONNXRef<?> bias, ONNXRef<?> gate) {
      int m = query.length / width;
      float[] w = maps.get(0)[0];
      float[] b = maps.get(0)[1];
      float[] qp = new float[m * width];
      for (int i = 0; i < m; i++) {
        for (int o = 0; o < width; o++) {
          double v = b[o];
          for (int k = 0; k < width; k++) {
            v += w[o * width + k] * query[i * width + k];
          }
          qp[i * width + o] = (float) v;
        }
      }
      float[] split = new float[qp.length]; // (1, heads, m, dk)
      for (int i = 0; i < m; i++) {
        for (int hd = 0; hd < heads; hd++) {
          for (int k = 0; k < dk; k++) {
            split[(hd * m + i) * dk + k] = qp[i * width + hd * dk + k];
          }
        }
      }
      ONNXRef<?> q = c.floatTensor(name + "_qp", List.of(1, m, width), buf -> buf.put(qp));
      ONNXRef<?> qh = c.floatTensor(name + "_qh", List.of(1, heads, m, dk), buf -> buf.put(split));
      return attend(q, qh, keys, bias, gate);
    }

    ONNXRef<?> apply(ONNXRef<?> queries, ONNXRef<?> keys, ONNXRef<?> bias, ONNXRef<?> gate) {
      ONNXRef<?> q = linear(queries, 0, "q");
      ONNXRef<?> qh =
          c.operation(
              OnnxOps.TRANSPOSE,
              List.of(heads(q, "q")),
              name + "_qh",
              Map.of("perm", new int[] {0, 2, 1, 3}));
      return attend(q, qh, keys, bias, gate);
    }

    private ONNXRef<?> attend(
        ONNXRef<?> q, ONNXRef<?> qh, ONNXRef<?> keys, ONNXRef<?> bias, ONNXRef<?> gate) {
      ONNXRef<?> kt =
          c.operation(
              OnnxOps.TRANSPOSE,
              List.of(heads(linear(keys, 1, "k"), "k")),
              name + "_kt",
              Map.of("perm", new int[] {0, 2, 3, 1}));
      ONNXRef<?> vh =
          c.operation(
              OnnxOps.TRANSPOSE,
              List.of(heads(linear(keys, 2, "v"), "v")),
              name + "_vh",
              Map.of("perm", new int[] {0, 2, 1, 3}));
      ONNXRef<?> logits =
          c.operation(
              ONNXOperators.MUL,
              List.of(
                  c.operation(OnnxOps.MATMUL, List.of(qh, kt), name + "_qk"),
                  c.constant(name + "_scale", (float) (1 / Math.sqrt(dk)))),
              name + "_logits");
      if (bias != null) {
        logits = c.operation(ONNXOperators.ADD, List.of(logits, bias), name + "_masked");
      }
      ONNXRef<?> weights =
          c.operation(
              ONNXOperators.SOFTMAX, List.of(logits), name + "_softmax", Map.of("axis", -1));
      ONNXRef<?> attended = c.operation(OnnxOps.MATMUL, List.of(weights, vh), name + "_av");
      ONNXRef<?> merged =
          c.operation(
              OnnxOps.RESHAPE,
              List.of(
                  c.operation(
                      OnnxOps.TRANSPOSE,
                      List.of(attended),
                      name + "_av_t",
                      Map.of("perm", new int[] {0, 2, 1, 3})),
                  c.array(name + "_merge_shape", new long[] {0, -1, width})),
              name + "_merged");
      if (gate != null) {
        merged = c.operation(ONNXOperators.MUL, List.of(merged, gate), name + "_gated");
      }
      ONNXRef<?> hidden =
          layerNorm(
              c.operation(ONNXOperators.ADD, List.of(q, merged), name + "_hidden_sum"), "hidden");
      ONNXRef<?> ff = c.operation(OnnxOps.RELU, List.of(linear(hidden, 3, "o")), name + "_ff");
      return layerNorm(
          c.operation(ONNXOperators.ADD, List.of(hidden, ff), name + "_out_sum"), "out");
    }

    /** (x - mean) / sqrt(var + eps) over the last axis. */
    private ONNXRef<?> layerNorm(ONNXRef<?> x, String tag) {
      String p = name + "_" + tag + "_ln";
      Map<String, Object> lastAxis = Map.of("axes", new int[] {-1}, "keepdims", 1);
      ONNXRef<?> mean = c.operation(ONNXOperators.REDUCE_MEAN, List.of(x), p + "_mean", lastAxis);
      ONNXRef<?> centred = c.operation(ONNXOperators.SUB, List.of(x, mean), p + "_centred");
      ONNXRef<?> var =
          c.operation(
              ONNXOperators.REDUCE_MEAN,
              List.of(c.operation(ONNXOperators.MUL, List.of(centred, centred), p + "_sq")),
              p + "_var",
              lastAxis);
      ONNXRef<?> std =
          c.operation(
              ONNXOperators.POW,
              List.of(
                  c.operation(
                      ONNXOperators.ADD,
                      List.of(var, c.constant(p + "_eps", LAYER_NORM_EPSILON)),
                      p + "_var_eps"),
                  c.constant(p + "_half", 0.5f)),
              p + "_std");
      return c.operation(ONNXOperators.DIV, List.of(centred, std), p);
    }

    /** (B, N, H) to (B, N, heads, dk). */
    private ONNXRef<?> heads(ONNXRef<?> t, String which) {
      return c.operation(
          OnnxOps.RESHAPE,
          List.of(t, c.array(name + "_" + which + "_heads", new long[] {0, -1, heads, dk})),
          name + "_" + which + "_split");
    }

    private ONNXRef<?> linear(ONNXRef<?> in, int map, String which) {
      float[] w = transpose(maps.get(map)[0], width, width);
      ONNXInitializer weight =
          c.floatTensor(name + "_w" + which, List.of(width, width), buf -> buf.put(w));
      return c.operation(
          ONNXOperators.ADD,
          List.of(
              c.operation(OnnxOps.MATMUL, List.of(in, weight), name + "_" + which + "_mm"),
              c.array(name + "_b" + which, maps.get(map)[1])),
          name + "_" + which);
    }
  }

  /** phi on every particle: MatMul + Add per layer, activation between. */
  private static ONNXRef<?> particleMlp(ONNXContext c, MlpSpec phi, Block phiBlock, ONNXRef<?> x) {
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
    return h;
  }

  /** (B, S, H) to (B, S * H). */
  private static ONNXRef<?> flatten(ONNXContext c, ONNXRef<?> pooled, long width) {
    return c.operation(
        OnnxOps.RESHAPE, List.of(pooled, c.array("flat_shape", new long[] {0, width})), "flatten");
  }

  /** rho as Gemm layers. */
  private static ONNXRef<?> setMlp(ONNXContext c, MlpSpec rho, Block rhoBlock, ONNXRef<?> flat) {
    List<float[][]> rhoLayers = OnnxMlp.linearLayers(rhoBlock);
    ONNXRef<?> current = flat;
    int previous = rho.inputs();
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
    return current;
  }

  /** The graph as a model, its inputs declared [batch, n, last] with symbolic batch and n. */
  private static byte[] model(ONNXContext c, int features, int slots) {
    OnnxMl.GraphProto graph = c.buildGraph();
    OnnxMl.GraphProto.Builder fixed = graph.toBuilder().clearInput();
    for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
      int last = input.getName().equals("x") ? features : slots;
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
