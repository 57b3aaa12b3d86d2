package io.macroscope.dynamics.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MlpAverageTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void shouldComputeTheMeanOfTheMembersOutputs(int hiddenLayers) {
    MlpSpec spec = MlpSpec.uniform(5, 16, hiddenLayers, 3, MlpSpec.Act.TANH);
    Engine.getEngine("PyTorch").setRandomSeed(11);
    int n = 200;
    int k = 3;
    float[] x = new float[n * 5];
    Random random = new Random(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextGaussian() * 2);
    }
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      ParameterStore store = new ParameterStore(manager, false);
      NDList input = new NDList(manager.create(x, new Shape(n, 5)));
      List<Block> members = new ArrayList<>();
      double[] mean = new double[n * 3];
      for (int m = 0; m < k; m++) {
        Block member = spec.newBlock();
        member.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
        members.add(member);
        float[] y = member.forward(store, input, false).singletonOrThrow().toFloatArray();
        for (int i = 0; i < y.length; i++) {
          mean[i] += y[i] / k;
        }
      }
      Block wide = wide(members, spec, manager);
      churnNativeMemory();
      float[] actual = wide.forward(store, input, false).singletonOrThrow().toFloatArray();

      double maxDiff = 0;
      double spread = 0;
      float[] first = members.get(0).forward(store, input, false).singletonOrThrow().toFloatArray();
      for (int i = 0; i < actual.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(actual[i] - mean[i]));
        spread = Math.max(spread, Math.abs(first[i] - mean[i]));
      }
      assertEquals(0, maxDiff, 1e-5, "wide net vs the mean of its members");
      // exported as one branch per member where the hidden layers are block-diagonal
      assertEquals(
          hiddenLayers >= 2 ? k : 1,
          OnnxMlp.branches(MlpAverage.widened(spec, k), OnnxMlp.linearLayers(wide)));
      assertEquals(
          0,
          maxDiff(
              OnnxRuns.run(
                  OnnxMlp.export(MlpAverage.widened(spec, k), wide, "avg", "x", "y"),
                  "x",
                  x,
                  new long[] {n, 5}),
              mean),
          1e-5,
          "ONNX Runtime vs the mean");
      // the members differ, so matching the mean is not matching any one of them
      assertTrue(spread > 1e-2, "members too alike to tell the mean apart: " + spread);
      assertEquals(
          MlpAverage.widened(spec, k).hidden(), spec.hidden().stream().map(h -> h * k).toList());
    }
  }

  private static double maxDiff(float[] actual, double[] expected) {
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected[i]));
    }
    return max;
  }

  /** An initialised block of the widened shape, given the mean of {@code members}. */
  private static Block wide(List<Block> members, MlpSpec spec, NDManager manager) {
    Block wide = MlpAverage.widened(spec, members.size()).newBlock();
    wide.initialize(manager, DataType.FLOAT32, new Shape(1, spec.inputs()));
    MlpAverage.assignMean(members, spec, wide);
    return wide;
  }

  /**
   * Collects garbage and reuses freed native memory: a wide net whose parameters still pointed at
   * memory a collected buffer owned would read junk afterwards.
   */
  private static void churnNativeMemory() {
    for (int round = 0; round < 5; round++) {
      System.gc();
      java.nio.ByteBuffer junk = java.nio.ByteBuffer.allocateDirect(1 << 20);
      while (junk.remaining() >= 4) {
        junk.putFloat(1e6f);
      }
    }
  }

  @Test
  void shouldRefuseNetworksOfAnotherShape() {
    MlpSpec spec = MlpSpec.uniform(5, 16, 2, 3, MlpSpec.Act.TANH);
    MlpSpec other = MlpSpec.uniform(5, 8, 2, 3, MlpSpec.Act.TANH);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block a = spec.newBlock();
      a.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
      Block b = other.newBlock();
      b.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> wide(List.of(a, b), spec, manager));
      assertTrue(e.getMessage().contains("network 1"), e.getMessage());
    }
  }
}
