package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.macroscope.dynamics.nn.AdamTrainers;
import io.macroscope.dynamics.nn.MlpSpec;
import org.junit.jupiter.api.Test;

/**
 * The per-step gradient guard of the closure stages (skip a step whose gradients are not finite or
 * too large, zero them) must leave nothing behind: it runs on every training step, so anything it
 * files under the model's manager would stay there for the whole run.
 */
class GradientGuardTest {

  @Test
  void shouldCheckAndClearGradientsWithoutKeepingArraysAlive() {
    try (Model model = Model.newInstance("guard", "PyTorch")) {
      model.setBlock(MlpSpec.uniform(3, 16, 2, 2, MlpSpec.Act.TANH).newBlock());
      try (Trainer trainer = AdamTrainers.of(model, 1e-3f)) {
        trainer.initialize(new Shape(1, 3));
        NDManager owner = model.getNDManager();
        backward(trainer, 1f);
        int before = owner.getManagedArrays().size();
        for (int i = 0; i < 50; i++) {
          assertTrue(ClosureTrainer.saneGradients(trainer), "ordinary gradients pass");
        }
        assertEquals(before, owner.getManagedArrays().size(), "arrays left by 50 checks");

        backward(trainer, 1e12f);
        assertFalse(ClosureTrainer.saneGradients(trainer), "huge gradients are refused");
        ClosureTrainer.clearGradients(trainer);
        assertEquals(before, owner.getManagedArrays().size(), "arrays left by check and clear");
        for (var p : model.getBlock().getParameters()) {
          NDArray g = p.getValue().getArray().getGradient();
          assertEquals(0f, g.abs().max().getFloat(), p.getKey() + " cleared");
          g.close();
        }
        assertTrue(ClosureTrainer.saneGradients(trainer), "cleared gradients pass");
      }
    }
  }

  /** One backward pass of scale * sum(net(x)^2) on a fixed input; gradients accumulate. */
  private static void backward(Trainer trainer, float scale) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray x = scope.create(new float[] {0.3f, -0.2f, 0.5f}, new Shape(1, 3));
      try (GradientCollector gc = trainer.newGradientCollector()) {
        NDArray y = trainer.forward(new NDList(x)).head();
        gc.backward(y.square().sum().mul(scale));
      }
    }
  }
}
