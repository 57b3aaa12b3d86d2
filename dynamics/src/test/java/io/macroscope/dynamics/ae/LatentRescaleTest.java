package io.macroscope.dynamics.ae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import io.macroscope.dynamics.nn.AdamTrainers;
import org.junit.jupiter.api.Test;

class LatentRescaleTest {

  private static final DynamicsAeConfig CONFIG =
      DynamicsAeConfig.builder().setLatentDim(2).optHidden(16, 2).build();

  @Test
  void shouldScaleTheLatentAndKeepTheReconstructionAndStayTrainable() {
    try (Model model = Model.newInstance("rescale", "PyTorch")) {
      model.getNDManager().getEngine().setRandomSeed(5);
      AutoencoderBlock block =
          new AutoencoderBlock(
              Networks.encoder(CONFIG, 6, 2).newBlock(), Networks.decoder(CONFIG, 6).newBlock());
      model.setBlock(block);
      try (Trainer trainer = AdamTrainers.of(model, 1e-2f)) {
        trainer.initialize(new Shape(8, 6));
        NDArray x = model.getNDManager().randomNormal(new Shape(8, 6));
        NDList before = trainer.evaluate(new NDList(x));
        float[] z0 = before.get(0).toFloatArray();
        float[] r0 = before.get(1).toFloatArray();

        LatentRescale.apply(block, 7.5);

        NDList after = trainer.evaluate(new NDList(x));
        float[] z1 = after.get(0).toFloatArray();
        float[] r1 = after.get(1).toFloatArray();
        for (int i = 0; i < z0.length; i++) {
          assertEquals(7.5 * z0[i], z1[i], 1e-4 * (1 + Math.abs(z1[i])), "z " + i);
        }
        for (int i = 0; i < r0.length; i++) {
          assertEquals(r0[i], r1[i], 1e-5, "reconstruction " + i);
        }
        // Gradients still reach the rescaled parameters: one step changes the reconstruction.
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray loss = trainer.forward(new NDList(x)).get(1).sub(x).square().mean();
          collector.backward(loss);
        }
        trainer.step();
        float[] r2 = trainer.evaluate(new NDList(x)).get(1).toFloatArray();
        assertNotEquals(r1[0], r2[0]);
      }
    }
  }

  @Test
  void shouldScaleTheLatentByTheGainAndFoldItIntoTheWeightsUnchanged() {
    try (Model model = Model.newInstance("gain", "PyTorch")) {
      model.getNDManager().getEngine().setRandomSeed(6);
      AutoencoderBlock block =
          new AutoencoderBlock(
              Networks.encoder(CONFIG, 6, 2).newBlock(), Networks.decoder(CONFIG, 6).newBlock());
      model.setBlock(block);
      try (Trainer trainer = AdamTrainers.of(model, 1e-2f)) {
        trainer.initialize(new Shape(8, 6));
        NDArray x = model.getNDManager().randomNormal(new Shape(8, 6));
        NDList plain = trainer.evaluate(new NDList(x));
        float[] z0 = plain.get(0).toFloatArray();
        float[] r0 = plain.get(1).toFloatArray();

        block.setLatentGain(210);
        NDList gained = trainer.evaluate(new NDList(x));
        LatentRescale.fold(block);
        assertEquals(1, block.latentGain());
        NDList folded = trainer.evaluate(new NDList(x));
        // The encoder alone (as exported) now gives the gained latent too.
        float[] zEncoder =
            block
                .encoder()
                .forward(new ParameterStore(), new NDList(x), false)
                .singletonOrThrow()
                .toFloatArray();
        float[] zGained = gained.get(0).toFloatArray();
        float[] zFolded = folded.get(0).toFloatArray();
        for (int i = 0; i < z0.length; i++) {
          double tolerance = 1e-4 * (1 + Math.abs(zGained[i]));
          assertEquals(210 * z0[i], zGained[i], tolerance, "gained " + i);
          assertEquals(zGained[i], zFolded[i], tolerance, "folded " + i);
          assertEquals(zGained[i], zEncoder[i], tolerance, "encoder " + i);
        }
        float[] rGained = gained.get(1).toFloatArray();
        float[] rFolded = folded.get(1).toFloatArray();
        for (int i = 0; i < r0.length; i++) {
          assertEquals(r0[i], rGained[i], 1e-6, "gained reconstruction " + i);
          assertEquals(r0[i], rFolded[i], 1e-5, "folded reconstruction " + i);
        }
      }
    }
  }

  @Test
  void shouldRejectANonPositiveFactor() {
    try (Model model = Model.newInstance("rescale", "PyTorch")) {
      AutoencoderBlock block =
          new AutoencoderBlock(
              Networks.encoder(CONFIG, 6, 2).newBlock(), Networks.decoder(CONFIG, 6).newBlock());
      assertThrows(IllegalArgumentException.class, () -> LatentRescale.apply(block, 0));
      assertThrows(IllegalArgumentException.class, () -> LatentRescale.apply(block, Double.NaN));
      assertThrows(IllegalArgumentException.class, () -> block.setLatentGain(-1));
    }
  }
}
