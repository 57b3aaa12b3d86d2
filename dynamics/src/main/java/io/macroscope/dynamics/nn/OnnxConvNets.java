package io.macroscope.dynamics.nn;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports the reference convolutional encoder and decoder (see {@code ae.ConvNets}) to ONNX. Both
 * read and write flat rows of C*64*64 values like their DJL counterparts. Each decoder block that
 * DJL computes as zero-insert upsampling + padding (2, 1) + a stride-1 kernel-4 convolution is
 * written as the equivalent ONNX ConvTranspose (kernel 4, stride 2, pads 1) with the kernel flipped
 * in both spatial axes and its input/output channels swapped.
 */
public final class OnnxConvNets {

  private OnnxConvNets() {}

  /**
   * The encoder: input [batch, C*64*64] named {@code x}, output [batch, outputs] named {@code z}.
   */
  public static byte[] encoder(Block block, int channels, int outputs) {
    List<float[][]> layers = OnnxMlp.linearLayers(block);
    if (layers.size() != 6) {
      throw new IllegalArgumentException("expected 6 parameterised layers, found " + layers.size());
    }
    ONNXContext c = new ONNXContext();
    c.setName("encoder");
    ONNXPlaceholder input = c.floatInput("x", channels * 64 * 64);
    ONNXPlaceholder output = c.floatOutput("z", outputs);
    ONNXRef<?> h = reshape(c, input, new long[] {-1, channels, 64, 64}, "image");
    int in = channels;
    int[] filters = {32, 32, 64, 64};
    for (int i = 0; i < 4; i++) {
      h = relu(c, conv(c, h, layers.get(i), filters[i], in, 4, 2, 1, "conv" + i), "conv" + i);
      in = filters[i];
    }
    int squeeze = layers.get(4)[1].length;
    h = relu(c, conv(c, h, layers.get(4), squeeze, in, 1, 1, 0, "conv4"), "conv4");
    h = op(c, OnnxOps.FLATTEN, List.of(h), "flat", Map.of("axis", 1));
    h = gemm(c, h, layers.get(5), outputs, squeeze * 16, "out");
    h.assignTo(output);
    return OnnxMlp.serialize(c);
  }

  /**
   * The decoder: input [batch, latentDim] named {@code z}, output [batch, C*64*64] named {@code x}.
   */
  public static byte[] decoder(Block block, int channels, int n, int latentDim) {
    List<float[][]> layers = OnnxMlp.linearLayers(block);
    if (layers.size() != 6) {
      throw new IllegalArgumentException("expected 6 parameterised layers, found " + layers.size());
    }
    ONNXContext c = new ONNXContext();
    c.setName("decoder");
    ONNXPlaceholder input = c.floatInput("z", latentDim);
    ONNXPlaceholder output = c.floatOutput("x", channels * 64 * 64);
    ONNXRef<?> h = relu(c, gemm(c, input, layers.get(0), n, latentDim, "fc0"), "fc0");
    h = relu(c, gemm(c, h, layers.get(1), 1024, n, "fc1"), "fc1");
    h = reshape(c, h, new long[] {-1, 64, 4, 4}, "grid");
    int in = 64;
    int[] filters = {64, 32, 32, channels};
    for (int i = 0; i < 4; i++) {
      h = convTranspose(c, h, layers.get(2 + i), filters[i], in, "deconv" + i);
      if (i < 3) {
        h = relu(c, h, "deconv" + i);
      }
      in = filters[i];
    }
    h = op(c, OnnxOps.FLATTEN, List.of(h), "flat", Map.of("axis", 1));
    h.assignTo(output);
    return OnnxMlp.serialize(c);
  }

  /**
   * The splat decoder ({@code ae.SplatDecoder}): input [batch, latentDim] named {@code z}, output
   * [batch, C*H*W] named {@code x}. The head's columns are picked by constant selection matrices
   * (MatMul), the spots drawn on constant pixel grids by broadcasting, and summed over the spots
   * per channel by a batched MatMul.
   */
  public static byte[] splatDecoder(
      Block block, int channels, int height, int width, int spots, int latentDim) {
    float[] background = null;
    List<float[][]> layers = new java.util.ArrayList<>();
    float[] pending = null;
    for (var entry : block.getParameters()) {
      ai.djl.nn.Parameter p = entry.getValue();
      float[] values = p.getArray().toFloatArray();
      if (p.getName().equals("background")) {
        background = values;
      } else if (p.getType() == ai.djl.nn.Parameter.Type.WEIGHT) {
        pending = values;
      } else {
        layers.add(new float[][] {pending, values});
      }
    }
    int pixels = height * width;
    int stride = 3 + channels;
    if (background == null || layers.size() != 3 || background.length != channels * pixels) {
      throw new IllegalArgumentException("not a splat decoder for " + channels + " x " + pixels);
    }
    int units = layers.get(0)[1].length;
    ONNXContext c = new ONNXContext();
    c.setName("decoder");
    ONNXPlaceholder input = c.floatInput("z", latentDim);
    ONNXPlaceholder output = c.floatOutput("x", channels * pixels);
    ONNXRef<?> h = relu(c, gemm(c, input, layers.get(0), units, latentDim, "first"), "first");
    h = relu(c, gemm(c, h, layers.get(1), units, units, "second"), "second");
    ONNXRef<?> head = gemm(c, h, layers.get(2), spots * stride, units, "head");
    float[] sx = new float[spots * stride * spots];
    float[] sy = new float[sx.length];
    float[] sw = new float[sx.length];
    float[] sa = new float[spots * stride * spots * channels];
    for (int k = 0; k < spots; k++) {
      sx[(k * stride) * spots + k] = width / 4f;
      sy[(k * stride + 1) * spots + k] = height / 4f;
      sw[(k * stride + 2) * spots + k] = 0.5f;
      for (int ch = 0; ch < channels; ch++) {
        sa[(k * stride + 3 + ch) * spots * channels + k * channels + ch] = 1;
      }
    }
    ONNXRef<?> cx = pick(c, head, sx, spots * stride, spots, "cx");
    ONNXRef<?> cy = pick(c, head, sy, spots * stride, spots, "cy");
    ONNXRef<?> w = pick(c, head, sw, spots * stride, spots, "w");
    // s = (W / 8) exp(2 tanh(w / 2)); the Gaussian's exponent divides by -2 s^2.
    ONNXRef<?> s =
        op(
            c,
            ONNXOperators.MUL,
            List.of(
                op(
                    c,
                    OnnxOps.EXP,
                    List.of(
                        op(
                            c,
                            ONNXOperators.MUL,
                            List.of(
                                op(c, OnnxOps.TANH, List.of(w), "w_tanh", Map.of()),
                                c.array("two", new float[] {2})),
                            "w_two",
                            Map.of())),
                    "w_exp",
                    Map.of()),
                c.array("base_width", new float[] {width / 8f})),
            "spread",
            Map.of());
    ONNXRef<?> denominator =
        reshape(
            c,
            op(
                c,
                ONNXOperators.MUL,
                List.of(
                    op(c, ONNXOperators.MUL, List.of(s, s), "spread_sq", Map.of()),
                    c.array("minus_two", new float[] {-2})),
                "denominator_flat",
                Map.of()),
            new long[] {-1, spots, 1},
            "denominator");
    float[] u = new float[pixels];
    float[] v = new float[pixels];
    for (int r = 0; r < height; r++) {
      for (int col = 0; col < width; col++) {
        u[r * width + col] = col + 0.5f - width / 2f;
        v[r * width + col] = r + 0.5f - height / 2f;
      }
    }
    ONNXRef<?> dx2 = squaredOffset(c, u, cx, spots, "dx");
    ONNXRef<?> dy2 = squaredOffset(c, v, cy, spots, "dy");
    ONNXRef<?> d2 = op(c, ONNXOperators.ADD, List.of(dx2, dy2), "d2", Map.of());
    ONNXRef<?> blobs =
        op(
            c,
            OnnxOps.EXP,
            List.of(op(c, ONNXOperators.DIV, List.of(d2, denominator), "exponent", Map.of())),
            "blobs",
            Map.of());
    ONNXRef<?> amplitude =
        op(
            c,
            OnnxOps.TRANSPOSE,
            List.of(
                reshape(
                    c,
                    pick(c, head, sa, spots * stride, spots * channels, "a"),
                    new long[] {-1, spots, channels},
                    "a_spots")),
            "a_channels",
            Map.of("perm", new int[] {0, 2, 1}));
    ONNXRef<?> image =
        reshape(
            c,
            op(c, OnnxOps.MATMUL, List.of(amplitude, blobs), "image", Map.of()),
            new long[] {-1, (long) channels * pixels},
            "image_flat");
    op(c, ONNXOperators.ADD, List.of(image, c.array("background", background)), "frame", Map.of())
        .assignTo(output);
    return OnnxMlp.serialize(c);
  }

  /** head [batch, rows] times a constant [rows, cols] selection. */
  private static ONNXRef<?> pick(
      ONNXContext c, ONNXRef<?> head, float[] select, int rows, int cols, String name) {
    ONNXInitializer m = c.floatTensor(name + "_select", List.of(rows, cols), b -> b.put(select));
    return op(c, OnnxOps.MATMUL, List.of(head, m), name, Map.of());
  }

  /** (grid - centre)^2 as [batch, K, pixels], grid constant [1, 1, pixels], centre [batch, K]. */
  private static ONNXRef<?> squaredOffset(
      ONNXContext c, float[] grid, ONNXRef<?> centre, int spots, String name) {
    ONNXInitializer g = c.floatTensor(name + "_grid", List.of(1, 1, grid.length), b -> b.put(grid));
    ONNXRef<?> offset =
        op(
            c,
            ONNXOperators.SUB,
            List.of(g, reshape(c, centre, new long[] {-1, spots, 1}, name + "_centre")),
            name,
            Map.of());
    return op(c, ONNXOperators.MUL, List.of(offset, offset), name + "_sq", Map.of());
  }

  private static ONNXRef<?> conv(
      ONNXContext c,
      ONNXRef<?> x,
      float[][] wb,
      int out,
      int in,
      int k,
      int stride,
      int pad,
      String name) {
    float[] w = wb[0];
    ONNXInitializer weight = c.floatTensor(name + "_w", List.of(out, in, k, k), b -> b.put(w));
    ONNXInitializer bias = c.array(name + "_b", wb[1]);
    return op(
        c,
        OnnxOps.CONV,
        List.of(x, weight, bias),
        name,
        Map.of(
            "kernel_shape", new int[] {k, k},
            "strides", new int[] {stride, stride},
            "pads", new int[] {pad, pad, pad, pad}));
  }

  /**
   * DJL weight (out, in, 4, 4) of the stride-1 conv -> ONNX ConvTranspose weight (in, out, 4, 4).
   */
  private static ONNXRef<?> convTranspose(
      ONNXContext c, ONNXRef<?> x, float[][] wb, int out, int in, String name) {
    float[] w = wb[0];
    float[] t = new float[w.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        for (int r = 0; r < 4; r++) {
          for (int s = 0; s < 4; s++) {
            t[((i * out + o) * 4 + r) * 4 + s] = w[((o * in + i) * 4 + (3 - r)) * 4 + (3 - s)];
          }
        }
      }
    }
    ONNXInitializer weight = c.floatTensor(name + "_w", List.of(in, out, 4, 4), b -> b.put(t));
    ONNXInitializer bias = c.array(name + "_b", wb[1]);
    return op(
        c,
        OnnxOps.CONV_TRANSPOSE,
        List.of(x, weight, bias),
        name,
        Map.of(
            "kernel_shape", new int[] {4, 4},
            "strides", new int[] {2, 2},
            "pads", new int[] {1, 1, 1, 1}));
  }

  private static ONNXRef<?> gemm(
      ONNXContext c, ONNXRef<?> x, float[][] wb, int out, int in, String name) {
    float[] w = wb[0];
    ONNXInitializer weight = c.floatTensor(name + "_w", List.of(out, in), b -> b.put(w));
    ONNXInitializer bias = c.array(name + "_b", wb[1]);
    return op(c, ONNXOperators.GEMM, List.of(x, weight, bias), name, Map.of("transB", 1));
  }

  private static ONNXRef<?> relu(ONNXContext c, ONNXRef<?> x, String name) {
    return op(c, OnnxOps.RELU, List.of(x), name + "_relu", Map.of());
  }

  private static ONNXRef<?> reshape(ONNXContext c, ONNXRef<?> x, long[] shape, String name) {
    ONNXInitializer target = c.array(name + "_shape", shape);
    return op(c, OnnxOps.RESHAPE, List.of(x, target), name, Map.of());
  }

  private static ONNXRef<?> op(
      ONNXContext c,
      ONNXOperator operator,
      List<ONNXRef<?>> inputs,
      String name,
      Map<String, Object> attributes) {
    return c.operation(operator, inputs, name, attributes);
  }
}
