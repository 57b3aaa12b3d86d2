package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * The reference image networks for 64x64 frames with C channels. Both take and give flat rows
 * (C*64*64 values, C-order), so the trainers treat frames like any other vector.
 *
 * <p>Encoder: Conv(C->32), Conv(32->32), Conv(32->64), Conv(64->64), each kernel 4 stride 2 pad 1 +
 * ReLU, then a 1x1 Conv(64 -> n/16) + ReLU, flatten (n values), Linear(n -> outputs).
 *
 * <p>Decoder: Linear(d -> n) + ReLU, Linear(n -> 1024) + ReLU, reshape (64, 4, 4), ConvTranspose
 * 64->64->32->32 (ReLU between) and 32->C, no output activation (see {@link #deconv}).
 */
public final class ConvNets {

  /** The only frame side the reference shapes support (four stride-2 convolutions to 4x4). */
  public static final int SIZE = 64;

  private ConvNets() {}

  private static void check(int channels, int height, int width, int n) {
    if (height != SIZE || width != SIZE) {
      throw new IllegalArgumentException(
          "the convolutional networks take "
              + SIZE
              + "x"
              + SIZE
              + " frames, got "
              + width
              + "x"
              + height);
    }
    if (channels < 1 || n < 16 || n % 16 != 0) {
      throw new IllegalArgumentException("need channels >= 1 and hidden units a multiple of 16");
    }
  }

  private static Block conv(int filters, int kernel, int stride, int pad) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(pad, pad))
        .setFilters(filters)
        .build();
  }

  /**
   * A transposed convolution (kernel 4, stride 2, padding 1); DJL's PyTorch engine has no
   * deconvolution op. Its parameters are those of a stride-1 kernel-4 convolution applied to the
   * input upsampled with zeros and padded by (2, 1) (the flipped transposed-conv kernel; this is
   * how the block is laid out, saved and exported), but it is computed as a sub-pixel convolution:
   * each of the four output parities (row, column) sees a 2x2 window of the input, so one 3x3
   * convolution with 4 x filters outputs (kernel gathered from the 4x4 one, the unused taps zero)
   * followed by a depth-to-space shuffle gives the same result at about a third of the cost
   * (measured: the decoder's training step (forward + backward) went from ~11 to ~3.2 ms per frame
   * on one thread, `ConvProfile`).
   */
  private static Block deconv(int filters) {
    return new SubPixelDeconv(filters);
  }

  /** See {@link #deconv}; children (zero-insert lambda, kernel-4 conv) as the zero-insert form. */
  static final class SubPixelDeconv extends SequentialBlock {

    /**
     * Output channels of the 3x3 convolution are padded with zero filters to a multiple of this.
     * PyTorch 2.7.1's CPU convolution (oneDNN) computes the input gradient of a 3x3 stride-1
     * convolution wrongly when the output channels are not a multiple of its register block (16
     * with AVX-512, 8 with AVX2) and the batch is above one: measured relative error 0.35-1.0 or
     * NaN against a plain-Java reference for 4, 12, 20 and 36 outputs, 2e-7 for 16 and for every
     * other convolution of these networks. The last deconvolution of a C-channel image has 4C
     * outputs, so without the padding every gradient behind it (decoder and encoder) was wrong.
     */
    static final int CHANNEL_BLOCK = 16;

    /** Column j of the (16 + 1, 36) selection: which 4x4 tap feeds (a, b, p, q); 16 = none. */
    private static final float[] SELECT = selection();

    private final int filters;

    SubPixelDeconv(int filters) {
      this.filters = filters;
      add(new LambdaBlock(x -> new NDList(upsampleWithZeros(x.singletonOrThrow()))));
      add(conv(filters, 4, 1, 0));
    }

    /**
     * Output pixel (2i + a, 2j + b) of the zero-insert form reads input (i + p - 1, j + q - 1)
     * through tap (2p - a, 2q - b) of the 4x4 kernel, where that lies in 0..3.
     */
    private static float[] selection() {
      float[] m = new float[16 * 36];
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          for (int p = 0; p < 3; p++) {
            for (int q = 0; q < 3; q++) {
              int r = 2 * p - a;
              int c = 2 * q - b;
              if (r >= 0 && r < 4 && c >= 0 && c < 4) {
                m[(r * 4 + c) * 36 + ((a * 2 + b) * 3 + p) * 3 + q] = 1;
              }
            }
          }
        }
      }
      return m;
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store,
        NDList inputs,
        boolean training,
        ai.djl.util.PairList<String, Object> params) {
      NDArray x = inputs.singletonOrThrow();
      Block conv = getChildren().get(1).getValue();
      ai.djl.Device device = x.getDevice();
      NDArray weight = store.getValue(conv.getParameters().get("weight"), device, training);
      NDArray bias = store.getValue(conv.getParameters().get("bias"), device, training);
      NDManager scope = x.getManager();
      long in = weight.getShape().get(1);
      long n = x.getShape().get(0);
      long h = x.getShape().get(2);
      long w = x.getShape().get(3);
      // Learned arrays enter as operands of batch-scoped arrays: an op's result belongs to its
      // first operand's manager, and results of the parameter itself would live as long as it.
      NDArray taps = scope.zeros(weight.getShape()).add(weight).reshape(filters * in, 16);
      NDArray select = scope.create(SELECT, new Shape(16, 36));
      NDArray kernel =
          taps.matMul(select)
              .reshape(filters, in, 4, 3, 3)
              .transpose(0, 2, 1, 3, 4)
              .reshape(4L * filters, in, 3, 3);
      long outputs = 4L * filters;
      long padded = (outputs + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK;
      if (padded != outputs) {
        kernel = kernel.concat(scope.zeros(new Shape(padded - outputs, in, 3, 3)), 0);
      }
      NDArray y =
          Conv2d.conv2d(x, kernel, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
      if (padded != outputs) {
        y = y.get(new NDIndex(":, 0:{}", outputs));
      }
      NDArray shuffled =
          y.reshape(n, filters, 2, 2, h, w)
              .transpose(0, 1, 4, 2, 5, 3)
              .reshape(n, filters, 2 * h, 2 * w);
      return new NDList(
          shuffled.add(scope.zeros(bias.getShape()).add(bias).reshape(1, filters, 1, 1)));
    }
  }

  /** (N, C, H, W) -> (N, C, 2H + 3, 2W + 3): x at even positions, zeros between, padded. */
  static ai.djl.ndarray.NDArray upsampleWithZeros(ai.djl.ndarray.NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    ai.djl.ndarray.NDArray cols = x.stack(x.zerosLike(), 4).reshape(n, c, h, 2 * w);
    ai.djl.ndarray.NDArray rows = cols.stack(cols.zerosLike(), 3).reshape(n, c, 2 * h, 2 * w);
    // The zero-inserted input is 2H-1 long plus one trailing zero; pad 2 before and 1 after.
    return rows.pad(new Shape(2, 1, 2, 1), 0);
  }

  /** Image encoder with {@code n} hidden units and {@code outputs} outputs. */
  public static Block encoder(int channels, int height, int width, int n, int outputs) {
    check(channels, height, width, n);
    return new SequentialBlock()
        .add(
            new LambdaBlock(
                x -> new NDList(x.singletonOrThrow().reshape(-1, channels, height, width))))
        .add(conv(32, 4, 2, 1))
        .add(Activation.reluBlock())
        .add(conv(32, 4, 2, 1))
        .add(Activation.reluBlock())
        .add(conv(64, 4, 2, 1))
        .add(Activation.reluBlock())
        .add(conv(64, 4, 2, 1))
        .add(Activation.reluBlock())
        .add(conv(n / 16, 1, 1, 0))
        .add(Activation.reluBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(outputs).build());
  }

  /** Image decoder from {@code latentDim} with {@code n} hidden units. */
  public static Block decoder(int channels, int height, int width, int n, int latentDim) {
    check(channels, height, width, n);
    return new SequentialBlock()
        .add(Linear.builder().setUnits(n).build())
        .add(Activation.reluBlock())
        .add(Linear.builder().setUnits(1024).build())
        .add(Activation.reluBlock())
        .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(-1, 64, 4, 4))))
        .add(deconv(64))
        .add(Activation.reluBlock())
        .add(deconv(32))
        .add(Activation.reluBlock())
        .add(deconv(32))
        .add(Activation.reluBlock())
        .add(deconv(channels))
        .add(Blocks.batchFlattenBlock());
  }
}
