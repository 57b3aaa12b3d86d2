package io.macroscope.dynamics.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.ae.DynamicsAeConfig;
import io.macroscope.dynamics.ae.DynamicsAeTrainer;
import io.macroscope.dynamics.ae.TrainedAutoencoder;
import io.macroscope.dynamics.sim.ThreeWellTrajectory;
import io.macroscope.dynamics.sim.Warp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

  private static final int FRAMES = 4000;
  private static float[] inputs;
  private static float[] djlLatent;
  private static Path bundleDir;

  @TempDir static Path dir;

  @BeforeAll
  static void trainAndWrite() {
    ThreeWellTrajectory t = ThreeWellTrajectory.simulate(FRAMES, 1.0, 1e-3, 10, Warp.PARABOLIC, 5);
    inputs = new float[t.observed().length];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = (float) t.observed()[i];
    }
    DynamicsAeConfig config =
        DynamicsAeConfig.builder().setLatentDim(2).optEpochs(3).optBatchSize(64).optSeed(1).build();
    bundleDir = dir.resolve("bundle-v1");
    try (TrainedAutoencoder model = new DynamicsAeTrainer(config, e -> {}).fit(inputs, FRAMES, 2)) {
      djlLatent = model.encode(inputs, FRAMES);
      ModelBundle.write(bundleDir, model, "v1", Map.of("val_loss", 0.5), inputs);
    }
  }

  @Test
  void shouldServeSameLatentWithOnnxRuntimeAsPyTorchEngine() {
    ModelBundle bundle = ModelBundle.read(bundleDir);
    try (OnnxEncoder encoder = new OnnxEncoder(bundle, 1)) {
      float[] onnx = encoder.encode(inputs, FRAMES);
      double maxDiff = 0;
      for (int i = 0; i < onnx.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(onnx[i] - djlLatent[i]));
      }
      assertEquals(0, maxDiff, 1e-5);
    }
  }

  @Test
  void shouldServeSameLatentOnRequestedPyTorchEngine() {
    ModelBundle bundle = ModelBundle.read(bundleDir);
    try (BundleEncoder pytorch = BundleEncoder.open(bundle, BundleEncoder.Engine.PYTORCH, 1);
        BundleEncoder onnx = BundleEncoder.open(bundle, BundleEncoder.Engine.ONNX, 1)) {
      float[] a = pytorch.encode(inputs, FRAMES);
      float[] b = onnx.encode(inputs, FRAMES);
      double maxDiff = 0;
      for (int i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - djlLatent[i]));
      }
      assertEquals(0, maxDiff, 1e-5);
    }
  }

  @Test
  void shouldRecordConventionsAndEveryFileInManifest() throws Exception {
    Manifest m = ModelBundle.read(bundleDir).manifest();
    assertEquals("dynamics-ae", m.method());
    assertEquals(2, m.latentDim());
    assertEquals("overdamped-langevin", m.diffusion().convention());
    assertEquals(1.0, m.diffusion().coefficient());
    assertEquals(
        java.util.Set.of(
            "encoder",
            "decoder",
            "drift",
            "encoder-pytorch",
            "plot-losses",
            "plot-latent",
            "plot-clusters"),
        m.files().keySet());
    for (String plot : java.util.List.of("plot-losses", "plot-latent", "plot-clusters")) {
      java.awt.image.BufferedImage png =
          javax.imageio.ImageIO.read(bundleDir.resolve(m.files().get(plot).path()).toFile());
      assertEquals(800, png.getWidth(), plot);
    }
    assertEquals(2, m.latentSupport().std().size());
    assertTrue(m.latentSupport().std().get(0) > 0);
  }

  @Test
  void shouldRejectAlteredFile() throws Exception {
    Path copy = dir.resolve("tampered");
    Files.createDirectories(copy);
    try (var files = Files.list(bundleDir)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    byte[] drift = Files.readAllBytes(copy.resolve("drift.onnx"));
    drift[drift.length - 1] ^= 1;
    Files.write(copy.resolve("drift.onnx"), drift);
    BundleException e = assertThrows(BundleException.class, () -> ModelBundle.read(copy));
    assertTrue(e.getMessage().contains("drift.onnx") && e.getMessage().contains("SHA-256"));
  }

  @Test
  void shouldRefuseToOverwriteAndToReadNonBundle() {
    assertThrows(BundleException.class, () -> ModelBundle.read(dir.resolve("nothing-here")));
    assertThrows(
        BundleException.class, () -> ModelBundle.write(bundleDir, null, "v2", Map.of(), inputs));
  }
}
