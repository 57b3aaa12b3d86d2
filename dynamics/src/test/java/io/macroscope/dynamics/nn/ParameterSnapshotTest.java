package io.macroscope.dynamics.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import org.junit.jupiter.api.Test;

class ParameterSnapshotTest {

  private static Trainer trainer(Model model) {
    return AdamTrainers.of(model, 0.05f);
  }

  private static void step(Trainer trainer) {
    NDArray x = trainer.getManager().ones(new Shape(4, 3));
    try (GradientCollector gc = trainer.newGradientCollector()) {
      gc.backward(trainer.forward(new NDList(x)).head().sub(2).square().mean());
    }
    trainer.step();
  }

  private static float[] weights(Model model) {
    return model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
  }

  @Test
  void shouldRestoreParametersAndTrainOnWithANewTrainer() {
    try (Model model = Model.newInstance("snapshot", "PyTorch")) {
      model.setBlock(MlpSpec.uniform(3, 8, 1, 1, MlpSpec.Act.TANH).newBlock());
      Trainer first = trainer(model);
      first.initialize(new Shape(4, 3));
      step(first);
      float[] saved = weights(model);
      ParameterSnapshot snapshot = ParameterSnapshot.of(model.getBlock());
      step(first);
      assertFalse(java.util.Arrays.equals(saved, weights(model)), "training moved the weights");
      first.close();

      snapshot.restore(model.getBlock(), model.getNDManager());
      assertArrayEquals(saved, weights(model), 0f);
      try (Trainer second = trainer(model)) {
        step(second);
      }
      assertFalse(java.util.Arrays.equals(saved, weights(model)), "the restored weights train");
      assertTrue(model.getBlock().getParameters().valueAt(0).getArray().hasGradient());
    }
  }
}
