package io.macroscope.dynamics.ae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConvNetsTest {

  @Test
  void shouldPlaceInputsAtEvenPositionsOfThePaddedZeroInsertedGrid() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      NDArray up = ConvNets.upsampleWithZeros(x);
      assertEquals(new Shape(1, 1, 7, 7), up.getShape());
      float[] v = up.toFloatArray();
      assertEquals(1, v[2 * 7 + 2]);
      assertEquals(2, v[2 * 7 + 4]);
      assertEquals(3, v[4 * 7 + 2]);
      assertEquals(4, v[4 * 7 + 4]);
      assertEquals(10, up.sum().getFloat(), 0);
    }
  }

  @Test
  void shouldComputeTheSubPixelDeconvolutionAsTheZeroInsertForm() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      m.getEngine().setRandomSeed(3);
      ConvNets.SubPixelDeconv block = new ConvNets.SubPixelDeconv(5);
      block.initialize(m, DataType.FLOAT32, new Shape(2, 3, 4, 6));
      // A non-zero bias, so that its placement is checked too.
      block.getChildren().get(1).getValue().getParameters().get("bias").getArray().addi(0.3f);
      NDArray x = m.randomNormal(new Shape(2, 3, 4, 6));
      ParameterStore store = new ParameterStore(m, false);
      NDArray fast = block.forward(store, new NDList(x), false).singletonOrThrow();
      Block conv = block.getChildren().get(1).getValue();
      NDArray reference =
          conv.forward(store, new NDList(ConvNets.upsampleWithZeros(x)), false).singletonOrThrow();
      assertEquals(new Shape(2, 5, 8, 12), fast.getShape());
      assertEquals(reference.getShape(), fast.getShape());
      float[] a = fast.toFloatArray();
      float[] b = reference.toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertEquals(b[i], a[i], 1e-5, "element " + i);
      }
    }
  }

  /**
   * The block is linear in its input, so for any direction v the input gradient g of sum(u * y(x))
   * must satisfy g . v = u . (y(v) - y(0)), which uses the forward map only. One- and three-channel
   * output images (4 and 12 convolution outputs) with a batch above one are the cases PyTorch's
   * oneDNN convolution got wrong without the channel padding (relative error 0.6-0.9).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void shouldGiveTheInputGradientOfItsForwardMap(int channels) {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      m.getEngine().setRandomSeed(5);
      Shape in = new Shape(4, 32, 8, 8);
      ConvNets.SubPixelDeconv block = new ConvNets.SubPixelDeconv(channels);
      block.initialize(m, DataType.FLOAT32, in);
      NDArray x = m.randomNormal(in);
      NDArray u = m.randomNormal(new Shape(4, channels, 16, 16));
      x.setRequiresGradient(true);
      try (GradientCollector collector = m.getEngine().newGradientCollector()) {
        NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), true).head();
        collector.backward(y.mul(u).sum());
      }
      NDArray gradient = x.getGradient().duplicate();
      ParameterStore store = new ParameterStore(m, false);
      NDArray atZero = block.forward(store, new NDList(m.zeros(in)), false).head();
      for (int trial = 0; trial < 3; trial++) {
        NDArray v = m.randomNormal(in);
        NDArray moved = block.forward(store, new NDList(v), false).head();
        double expected = moved.sub(atZero).mul(u).sum().getFloat();
        double actual = gradient.mul(v).sum().getFloat();
        assertEquals(expected, actual, 1e-4 * (1 + Math.abs(expected)), "direction " + trial);
      }
    }
  }

  @Test
  void shouldMapFlatFramesToLatentAndBackToFlatFrames() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Block encoder = ConvNets.encoder(1, 64, 64, 256, 2);
      Block decoder = ConvNets.decoder(1, 64, 64, 256, 2);
      encoder.initialize(m, DataType.FLOAT32, new Shape(3, 4096));
      decoder.initialize(m, DataType.FLOAT32, new Shape(3, 2));
      ParameterStore store = new ParameterStore(m, false);
      NDArray z =
          encoder
              .forward(store, new NDList(m.randomUniform(0, 1, new Shape(3, 4096))), false)
              .singletonOrThrow();
      assertArrayEquals(new long[] {3, 2}, z.getShape().getShape());
      NDArray x = decoder.forward(store, new NDList(z), false).singletonOrThrow();
      assertArrayEquals(new long[] {3, 4096}, x.getShape().getShape());
    }
  }

  @Test
  void shouldRefuseFramesOfOtherSizes() {
    assertThrows(IllegalArgumentException.class, () -> ConvNets.encoder(1, 32, 32, 256, 2));
  }
}
