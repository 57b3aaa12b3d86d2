package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class ConditionalSplineFlowTest {

  @Test
  void shouldInvertTheSplineInsideAndBeIdentityOutside() {
    Engine.getEngine("PyTorch").setRandomSeed(1);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      int bins = 6;
      NDArray params = m.randomNormal(new Shape(400, RationalQuadraticSpline.parameters(bins)));
      NDArray x = m.randomUniform(-4f, 4f, new Shape(400, 1));
      NDArray[] y = RationalQuadraticSpline.forward(x, params, bins, 3f);
      NDArray back = RationalQuadraticSpline.inverse(y[0], params, bins, 3f);
      assertEquals(0, back.sub(x).abs().max().getFloat(), 1e-4);
      float[] xs = x.toFloatArray();
      float[] ys = y[0].toFloatArray();
      float[] logDet = y[1].toFloatArray();
      for (int i = 0; i < xs.length; i++) {
        if (Math.abs(xs[i]) > 3) {
          assertEquals(xs[i], ys[i], 0, "identity tail");
          assertEquals(0, logDet[i], 0);
        } else {
          assertTrue(Math.abs(ys[i]) <= 3 + 1e-5, "maps the interval onto itself");
        }
      }
    }
  }

  @Test
  void shouldBeTheIdentityForZeroParameters() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(new float[] {-2.5f, -0.3f, 0f, 1.7f}, new Shape(4, 1));
      NDArray[] y = RationalQuadraticSpline.forward(x, m.zeros(new Shape(4, 14)), 5, 3f);
      assertEquals(0, y[0].sub(x).abs().max().getFloat(), 1e-5);
      assertEquals(0, y[1].abs().max().getFloat(), 1e-5);
    }
  }

  @Test
  void shouldMatchNumericalDerivative() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      int bins = 5;
      NDArray params = m.randomNormal(new Shape(1, RationalQuadraticSpline.parameters(bins)));
      float eps = 1e-3f;
      for (float v = -2.9f; v < 2.9f; v += 0.37f) {
        NDArray x = m.create(new float[] {v - eps, v, v + eps}, new Shape(3, 1));
        NDArray p = params.repeat(0, 3);
        NDArray[] y = RationalQuadraticSpline.forward(x, p, bins, 3f);
        float[] ys = y[0].toFloatArray();
        double numeric = (ys[2] - ys[0]) / (2 * eps);
        double analytic = Math.exp(y[1].toFloatArray()[1]);
        assertEquals(numeric, analytic, 2e-2 * analytic + 1e-3, "at " + v);
      }
    }
  }

  @Test
  void shouldDefineANormalisedDensityForEveryContext() {
    Engine.getEngine("PyTorch").setRandomSeed(2);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ConditionalSplineFlow flow = new ConditionalSplineFlow(2, 3, 3, 8, 16, 3f, 0.3f);
      flow.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 3));
      ParameterStore store = new ParameterStore(m, false);
      double step = 0.04;
      NDArray y = grid(m, step);
      int side = (int) Math.round(14 / step);
      // A moderately nonlinear flow (output layers at 0.3 of their initialisation): stronger
      // ones make bins narrower than an affordable grid step.
      for (float[] c : new float[][] {{0, 0, 0}, {0.6f, -0.8f, 0.3f}}) {
        NDArray ctx = m.create(c, new Shape(1, 3)).repeat(0, side * side);
        NDArray logQ = flow.forward(store, new NDList(y, ctx), false).head();
        double mass = logQ.exp().sum().getFloat() * step * step;
        assertEquals(1.0, mass, 0.01, "total probability for context " + c[0]);
      }
    }
  }

  @Test
  void shouldInitialiseInAThreadOfItsOwn() throws Exception {
    // PyTorch's grad mode is per thread and on by default outside the engine's first thread: the
    // trainer service trains on a thread of its own (this failed there before the fix)
    try (NDManager first = NDManager.newBaseManager("PyTorch")) {
      first.zeros(new Shape(1)); // the engine starts on this thread
    }
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<Float> scale =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                ConditionalSplineFlow flow = new ConditionalSplineFlow(2, 2, 2, 8, 16, 3f, 0f);
                flow.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
                float max = 0;
                for (var p : flow.getParameters()) {
                  if (p.getKey().contains("weight") || p.getKey().contains("bias")) {
                    max = Math.max(max, p.getValue().getArray().abs().max().getFloat());
                  }
                }
                scale.set(max);
                ParameterStore store = new ParameterStore(m, false);
                NDArray y = m.create(new float[] {0.4f, -1.1f}, new Shape(1, 2));
                NDArray ctx = m.create(new float[] {0.2f, 0.1f}, new Shape(1, 2));
                float logQ = flow.forward(store, new NDList(y, ctx), false).head().getFloat();
                // output layers scaled to 0: the flow is the identity, q the standard normal
                double normal = -Math.log(2 * Math.PI) - (0.16 + 1.21) / 2;
                assertEquals(normal, logQ, 1e-5);
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    t.start();
    t.join();
    if (failure.get() != null) {
      throw new AssertionError("initialising on a new thread failed", failure.get());
    }
    assertTrue(scale.get() > 0, "the hidden layers keep their initialisation");
  }

  @Test
  void shouldSampleWhatTheDensityDescribes() {
    Engine.getEngine("PyTorch").setRandomSeed(3);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ConditionalSplineFlow flow = new ConditionalSplineFlow(2, 2, 2, 8, 16, 3f, 0.3f);
      flow.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
      ParameterStore store = new ParameterStore(m, false);
      NDArray one = m.create(new float[] {0.3f, -0.2f}, new Shape(1, 2));
      NDArray ctx = one.repeat(0, 20_000);
      NDArray samples = flow.sample(store, ctx);
      // Samples of q have mean log q equal to minus the entropy; uniform points on a box would
      // score far lower. Compare with the grid estimate of the entropy.
      double sampleMean =
          flow.forward(store, new NDList(samples, ctx), false).head().mean().getFloat();
      double step = 0.05;
      NDArray y = grid(m, step);
      int side = (int) Math.round(14 / step);
      NDArray logQ = flow.forward(store, new NDList(y, one.repeat(0, side * side)), false).head();
      double negEntropy = logQ.exp().mul(logQ).sum().getFloat() * step * step;
      assertEquals(negEntropy, sampleMean, 0.05);
    }
  }

  /** Cell centres of a square grid over [-7, 7]^2 with the given spacing, as (cells, 2). */
  private static NDArray grid(NDManager m, double step) {
    int side = (int) Math.round(14 / step);
    float[] grid = new float[side * side * 2];
    for (int i = 0; i < side; i++) {
      for (int j = 0; j < side; j++) {
        grid[2 * (i * side + j)] = (float) (-7 + (i + 0.5) * step);
        grid[2 * (i * side + j) + 1] = (float) (-7 + (j + 0.5) * step);
      }
    }
    return m.create(grid, new Shape(side * side, 2));
  }
}
