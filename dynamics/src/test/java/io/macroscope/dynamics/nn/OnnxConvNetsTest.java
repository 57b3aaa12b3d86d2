package io.macroscope.dynamics.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.macroscope.dynamics.ae.ConvNets;
import io.macroscope.dynamics.ae.SplatDecoder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnnxConvNetsTest {

  private static float[] random(int n, long seed, double scale) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * scale);
    }
    return v;
  }

  private static double maxDiff(
      byte[] onnx, String input, float[] x, long[] shape, float[] expected) throws Exception {
    float[] out = OnnxRuns.run(onnx, input, x, shape);
    assertEquals(expected.length, out.length);
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(out[i] - expected[i]));
    }
    return max;
  }

  @Test
  void shouldExportEncoderAndDecoderMatchingThePyTorchEngine() throws Exception {
    Engine.getEngine("PyTorch").setRandomSeed(2);
    int n = 5;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Block encoder = ConvNets.encoder(1, 64, 64, 256, 2);
      Block decoder = ConvNets.decoder(1, 64, 64, 256, 2);
      encoder.initialize(m, DataType.FLOAT32, new Shape(n, 4096));
      decoder.initialize(m, DataType.FLOAT32, new Shape(n, 2));
      ParameterStore store = new ParameterStore(m, false);

      float[] x = random(n * 4096, 3, 1);
      float[] z =
          encoder
              .forward(store, new NDList(m.create(x, new Shape(n, 4096))), false)
              .singletonOrThrow()
              .toFloatArray();
      assertEquals(
          0, maxDiff(OnnxConvNets.encoder(encoder, 1, 2), "x", x, new long[] {n, 4096}, z), 1e-5);

      float[] zIn = random(n * 2, 4, 2);
      float[] frames =
          decoder
              .forward(store, new NDList(m.create(zIn, new Shape(n, 2))), false)
              .singletonOrThrow()
              .toFloatArray();
      assertEquals(
          0,
          maxDiff(OnnxConvNets.decoder(decoder, 1, 256, 2), "z", zIn, new long[] {n, 2}, frames),
          1e-5);
    }
  }

  @Test
  void shouldExportTheSplatDecoderMatchingThePyTorchEngine() throws Exception {
    Engine.getEngine("PyTorch").setRandomSeed(3);
    int n = 4;
    int channels = 2;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Block decoder = new SplatDecoder(channels, 64, 64, 32, 3);
      decoder.initialize(m, DataType.FLOAT32, new Shape(n, 2));
      // A non-zero background, so its layout is checked too.
      ai.djl.ndarray.NDArray background = decoder.getParameters().get("background").getArray();
      background.setRequiresGradient(false);
      background.addi(m.randomNormal(new Shape(8192)));
      ParameterStore store = new ParameterStore(m, false);
      float[] z = random(n * 2, 5, 20);
      float[] frames =
          decoder
              .forward(store, new NDList(m.create(z, new Shape(n, 2))), false)
              .singletonOrThrow()
              .toFloatArray();
      assertEquals(n * channels * 4096, frames.length);
      byte[] onnx = OnnxConvNets.splatDecoder(decoder, channels, 64, 64, 3, 2);
      assertEquals(0, maxDiff(onnx, "z", z, new long[] {n, 2}, frames), 1e-5);
    }
  }
}
