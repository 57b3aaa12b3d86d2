package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

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
   * A transposed convolution (kernel 4, stride 2, padding 1) written as zero-insertion upsampling,
   * padding by (2, 1) and a stride-1 kernel-4 convolution: the same function class (the learned
   * kernel is the flipped transposed-conv kernel). DJL's PyTorch engine has no deconvolution op.
   */
  private static Block deconv(int filters) {
    return new SequentialBlock()
        .add(new LambdaBlock(x -> new NDList(upsampleWithZeros(x.singletonOrThrow()))))
        .add(conv(filters, 4, 1, 0));
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
