package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.macroscope.dynamics.nn.MlpSpec;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Set Transformer encoder with random weights: the properties that hold whatever it learned —
 * exact permutation invariance, padding invariance (also for a species slot a set lacks), and ONNX
 * Runtime agreeing with the PyTorch engine.
 */
class SetTransformerBlockTest {

  private static final int F = 3;
  private static final int SLOTS = 2;

  /** Two sets in one padded batch: 7 particles of both species, 4 of species 0 only. */
  private static float[][] batch(Random random, int[] order) {
    int n = 7;
    float[] x = new float[2 * n * F];
    float[] mask = new float[2 * n * SLOTS];
    float[][] particles = new float[n][F];
    for (float[] p : particles) {
      for (int k = 0; k < F; k++) {
        p[k] = (float) random.nextGaussian();
      }
    }
    for (int i = 0; i < n; i++) {
      int src = order[i];
      System.arraycopy(particles[src], 0, x, i * F, F);
      mask[i * SLOTS + (src % 3 == 0 ? 1 : 0)] = 1;
    }
    for (int i = 0; i < 4; i++) { // second set: 4 real particles, 3 padded rows of junk
      System.arraycopy(particles[i], 0, x, (n + i) * F, F);
      mask[(n + i) * SLOTS] = 1;
    }
    for (int i = 4; i < n; i++) {
      x[(n + i) * F] = 100 + i;
    }
    return new float[][] {x, mask};
  }

  @Test
  void shouldBeInvariantToOrderAndPaddingAndMatchOnnxRuntime() throws Exception {
    Engine.getEngine("PyTorch").setRandomSeed(11);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      SetTransformerBlock block =
          new SetTransformerBlock(
              MlpSpec.uniform(F, 16, 2, 16, MlpSpec.Act.RELU),
              MlpSpec.uniform(SLOTS * 16, 16, 1, 3, MlpSpec.Act.RELU),
              SLOTS,
              4,
              5);
      block.initialize(m, DataType.FLOAT32, new Shape(1, 1, F), new Shape(1, 1, SLOTS));
      ParameterStore store = new ParameterStore(m, false);
      assertTrue(block.inducingPoints().abs().max().getFloat() > 0, "inducing points initialised");
      assertTrue(block.seeds().abs().max().getFloat() > 0, "seeds initialised");
      float[][] a = batch(new Random(3), new int[] {0, 1, 2, 3, 4, 5, 6});
      float[][] b = batch(new Random(3), new int[] {6, 2, 4, 0, 5, 3, 1});
      float[] za = forward(block, store, m, a);
      float[] zb = forward(block, store, m, b);
      double scale = 0;
      for (int k = 0; k < 3; k++) {
        assertEquals(za[k], zb[k], 1e-5, "shuffled set, latent " + k);
        scale = Math.max(scale, Math.abs(za[k] - za[3 + k]));
      }
      assertTrue(scale > 1e-4, "different sets encode differently");
      // the 4-particle set alone, unpadded and without its absent species' rows
      float[] alone = new float[4 * F];
      System.arraycopy(a[0], 7 * F, alone, 0, 4 * F);
      float[] aloneMask = new float[4 * SLOTS];
      for (int i = 0; i < 4; i++) {
        aloneMask[i * SLOTS] = 1;
      }
      float[] zAlone = forwardOne(block, store, m, alone, aloneMask, 4);
      for (int k = 0; k < 3; k++) {
        assertEquals(za[3 + k], zAlone[k], 1e-5, "padding and junk rows change nothing");
      }
      byte[] onnx = block.exportOnnx();
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
          OnnxTensor x =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(a[0]), new long[] {2, 7, F});
          OnnxTensor mask =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(a[1]), new long[] {2, 7, SLOTS});
          OrtSession.Result r = session.run(Map.of("x", x, "mask", mask))) {
        FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
        for (int i = 0; i < 6; i++) {
          assertEquals(za[i], out.get(i), 1e-5, "ONNX Runtime vs PyTorch engine, value " + i);
        }
      }
    }
  }

  private static float[] forward(
      SetTransformerBlock block, ParameterStore store, NDManager m, float[][] xMask) {
    return block
        .forward(
            store,
            new NDList(
                m.create(xMask[0], new Shape(2, 7, F)), m.create(xMask[1], new Shape(2, 7, SLOTS))),
            false)
        .singletonOrThrow()
        .toFloatArray();
  }

  private static float[] forwardOne(
      SetTransformerBlock block,
      ParameterStore store,
      NDManager m,
      float[] x,
      float[] mask,
      int n) {
    return block
        .forward(
            store,
            new NDList(m.create(x, new Shape(1, n, F)), m.create(mask, new Shape(1, n, SLOTS))),
            false)
        .singletonOrThrow()
        .toFloatArray();
  }
}
