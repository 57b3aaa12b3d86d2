package io.macroscope.dynamics.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnnxMlpTest {

  @ParameterizedTest
  @EnumSource(MlpSpec.Act.class)
  void shouldMatchPyTorchEngineWithinOneInHundredThousand(MlpSpec.Act activation) throws Exception {
    MlpSpec spec = MlpSpec.uniform(5, 32, 3, 2, activation);
    Engine.getEngine("PyTorch").setRandomSeed(4);
    int n = 300;
    float[] x = new float[n * 5];
    Random random = new Random(8);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextGaussian() * 3);
    }
    float[] expected;
    byte[] onnx;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = spec.newBlock();
      block.initialize(manager, DataType.FLOAT32, new Shape(n, 5));
      expected =
          block
              .forward(
                  new ParameterStore(manager, false),
                  new NDList(manager.create(x, new Shape(n, 5))),
                  false)
              .singletonOrThrow()
              .toFloatArray();
      onnx = OnnxMlp.export(spec, block, "test", "x", "y");
    }
    float[] actual = OnnxRuns.run(onnx, "x", x, new long[] {n, 5});
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    }
    assertEquals(expected.length, actual.length);
    assertEquals(0, maxDiff, 1e-5, "ONNX Runtime vs PyTorch engine");
  }
}
