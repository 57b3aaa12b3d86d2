package io.macroscope.dynamics.ae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.macroscope.dynamics.nn.AdamTrainers;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplatDecoderTest {

  private static final int SIDE = 64;
  private static final double PSF = 2.0;

  /** Clean spots (peak 1, width 2 px) at the given pixel offsets from the frame's centre. */
  private static float[] render(float[] centres, int n) {
    float[] frames = new float[n * SIDE * SIDE];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < SIDE; r++) {
        for (int c = 0; c < SIDE; c++) {
          double dx = c + 0.5 - SIDE / 2.0 - centres[2 * i];
          double dy = r + 0.5 - SIDE / 2.0 - centres[2 * i + 1];
          frames[(i * SIDE + r) * SIDE + c] =
              (float) Math.exp(-(dx * dx + dy * dy) / (2 * PSF * PSF));
        }
      }
    }
    return frames;
  }

  @Test
  void shouldLearnToDrawASpotWhereTheLatentPutsIt() {
    int n = 512;
    int test = 64;
    Random random = new Random(11);
    float[] centres = new float[2 * (n + test)];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = (float) (random.nextDouble() * 32 - 16);
    }
    float[] frames = render(centres, n + test);
    // The latent: the spot's place, on a unit scale.
    float[] z = new float[centres.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = centres[i] / 8;
    }
    double energy = Math.PI * PSF * PSF; // sum of a unit-peak spot's squares
    try (Model model = Model.newInstance("splat", "PyTorch")) {
      model.getNDManager().getEngine().setRandomSeed(11);
      model.setBlock(new SplatDecoder(1, SIDE, SIDE, 64, 1));
      try (Trainer trainer = AdamTrainers.of(model, 3e-3f)) {
        trainer.initialize(new Shape(64, 2));
        NDManager m = model.getNDManager();
        NDArray zs = m.create(z, new Shape(n + test, 2));
        NDArray xs = m.create(frames, new Shape(n + test, SIDE * SIDE));
        for (int step = 0; step < 400; step++) {
          int from = (step * 64) % n;
          try (NDManager scope = m.newSubManager()) {
            NDArray zb = zs.get(from + ":" + (from + 64));
            NDArray xb = xs.get(from + ":" + (from + 64));
            zb.attach(scope);
            xb.attach(scope);
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDArray out = trainer.forward(new NDList(zb)).singletonOrThrow();
              collector.backward(out.sub(xb).square().sum(new int[] {1}).mean());
            }
            trainer.step();
          }
        }
        try (NDManager scope = m.newSubManager()) {
          NDArray zt = zs.get(n + ":");
          NDArray xt = xs.get(n + ":");
          zt.attach(scope);
          xt.attach(scope);
          NDArray out = trainer.evaluate(new NDList(zt)).singletonOrThrow();
          assertEquals(SIDE * SIDE, out.getShape().get(1));
          double error = out.sub(xt).square().sum().getFloat() / test;
          // Drawing nothing costs the whole spot energy (12.6); a spot in the right place, ~0.
          assertTrue(error < 0.02 * energy, "held-out reconstruction error " + error);
        }
      }
    }
  }

  @Test
  void shouldRejectNonPositiveSizes() {
    assertThrows(IllegalArgumentException.class, () -> new SplatDecoder(1, 64, 64, 16, 0));
    assertThrows(IllegalArgumentException.class, () -> new SplatDecoder(0, 64, 64, 16, 1));
  }
}
