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
    inputs = t.observedFloats();
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

  @Test
  void shouldServeAlignedCoordinatesAfterFoldingAnIsometryIntoTheNetworks() throws Exception {
    ModelBundle bundle = ModelBundle.read(bundleDir);
    double c = Math.cos(0.7);
    double s = Math.sin(0.7);
    // a rotation combined with a reflection, and a shift
    LatentAlignment a =
        new LatentAlignment(new double[] {c, s, s, -c}, new double[] {1.5, -0.25}, 0, 0);
    ModelBundle aligned = BundleAligner.align(bundle, dir.resolve("bundle-v2"), a, "v2", "v1");
    ModelBundle reread = ModelBundle.read(aligned.dir()); // every SHA-256 checks out
    assertEquals("v2", reread.manifest().version());
    assertEquals("v1", reread.manifest().alignment().get("parentVersion"));
    int n = 64;
    float[] x = java.util.Arrays.copyOf(inputs, n * 2);
    float[] z = run(bundle, "encoder", x, 2);
    float[] zAligned = run(reread, "encoder", x, 2);
    float[] expected = a.apply(z, n);
    float[] zPyTorch;
    try (BundleEncoder pytorch = BundleEncoder.open(reread, BundleEncoder.Engine.PYTORCH, 1)) {
      zPyTorch = pytorch.encode(x, n); // the DJL encoder applies the recorded alignment
    }
    double encoderDiff = 0;
    double pytorchDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      encoderDiff = Math.max(encoderDiff, Math.abs(expected[i] - zAligned[i]));
      pytorchDiff = Math.max(pytorchDiff, Math.abs(expected[i] - zPyTorch[i]));
    }
    assertEquals(0, encoderDiff, 1e-5);
    assertEquals(0, pytorchDiff, 1e-5);
    // aligned twice: the manifest records only the last step, so the DJL copy is dropped
    ModelBundle twice = BundleAligner.align(reread, dir.resolve("bundle-v3"), a, "v3", "v2");
    assertTrue(!twice.manifest().files().containsKey("encoder-pytorch"));
    BundleException refused =
        assertThrows(
            BundleException.class,
            () -> BundleEncoder.open(twice, BundleEncoder.Engine.PYTORCH, 1).close());
    assertTrue(refused.getMessage().contains("--engine onnx"), refused.getMessage());
    // drift: f'(R z + t) = R f(z); decoder: g'(R z + t) = g(z)
    float[] f = run(bundle, "drift", z, 2);
    float[] fAligned = run(reread, "drift", zAligned, 2);
    float[] rf = new LatentAlignment(a.rotation(), new double[2], 0, 0).apply(f, n);
    float[] g = run(bundle, "decoder", z, 2);
    float[] gAligned = run(reread, "decoder", zAligned, 2);
    double driftDiff = 0;
    double decoderDiff = 0;
    for (int i = 0; i < rf.length; i++) {
      driftDiff = Math.max(driftDiff, Math.abs(rf[i] - fAligned[i]));
    }
    for (int i = 0; i < g.length; i++) {
      decoderDiff = Math.max(decoderDiff, Math.abs(g[i] - gAligned[i]));
    }
    assertEquals(0, driftDiff, 1e-4);
    assertEquals(0, decoderDiff, 1e-4);
  }

  @Test
  void shouldRecoverAKnownIsometryWithProcrustes() {
    int n = 300;
    java.util.Random random = new java.util.Random(4);
    double c = Math.cos(2.1);
    double s = Math.sin(2.1);
    LatentAlignment truth =
        new LatentAlignment(new double[] {c, -s, s, c}, new double[] {-3, 0.5}, 0, 0);
    float[] z = new float[2 * n];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (2 * random.nextGaussian());
    }
    float[] y = truth.apply(z, n);
    for (int i = 0; i < y.length; i++) {
      y[i] += (float) (0.01 * random.nextGaussian());
    }
    LatentAlignment fit = LatentAlignment.fit(z, y, n, 2);
    for (int k = 0; k < 4; k++) {
      assertEquals(truth.rotation()[k], fit.rotation()[k], 1e-3);
    }
    assertEquals(-3, fit.shift()[0], 1e-2);
    assertEquals(0.5, fit.shift()[1], 1e-2);
    assertEquals(0.01 * Math.sqrt(2), fit.residual(), 3e-3);
    assertTrue(fit.relativeResidual() < 0.01, "relative residual " + fit.relativeResidual());
  }

  @Test
  void shouldRecoverAKnownAffineMapAndInvertIt() {
    int n = 300;
    java.util.Random random = new java.util.Random(6);
    LatentAlignment truth =
        new LatentAlignment(new double[] {1.8, 0.6, -0.3, 0.4}, new double[] {2, -1}, 0, 0);
    float[] z = new float[2 * n];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) random.nextGaussian();
    }
    float[] y = truth.apply(z, n);
    for (int i = 0; i < y.length; i++) {
      y[i] += (float) (0.01 * random.nextGaussian());
    }
    LatentAlignment affine = LatentAlignment.fitAffine(z, y, n, 2);
    for (int k = 0; k < 4; k++) {
      assertEquals(truth.rotation()[k], affine.rotation()[k], 5e-3);
    }
    assertTrue(!affine.isometry());
    assertEquals("affine-least-squares", affine.describe().get("method"));
    // an isometry cannot follow a shear and unequal scales: Procrustes leaves far more behind
    LatentAlignment isometry = LatentAlignment.fit(z, y, n, 2);
    assertTrue(isometry.isometry());
    assertTrue(
        affine.relativeResidual() < 0.05
            && isometry.relativeResidual() > 5 * affine.relativeResidual(),
        affine.relativeResidual() + " vs " + isometry.relativeResidual());
    float[] back = affine.inverse().apply(affine.apply(z, n), n);
    for (int i = 0; i < z.length; i++) {
      assertEquals(z[i], back[i], 1e-4);
    }
    LatentAlignment reread = LatentAlignment.of(affine.describe(), 2);
    assertEquals(affine.rotation()[1], reread.rotation()[1], 0);
    assertEquals(affine.shift()[1], reread.shift()[1], 0);
  }

  /** Runs a bundle's network on row-major rows of {@code width} values. */
  private static float[] run(ModelBundle bundle, String name, float[] rows, int width)
      throws Exception {
    var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
    Manifest.FileEntry entry = bundle.manifest().files().get(name);
    float[] in = rows;
    if (name.equals("encoder")) {
      // the encoder reads normalised inputs
      in = BundleEncoder.normalize(bundle.manifest(), rows, rows.length / width);
    }
    try (var session =
            env.createSession(
                bundle.file(name).toString(), new ai.onnxruntime.OrtSession.SessionOptions());
        var tensor =
            ai.onnxruntime.OnnxTensor.createTensor(
                env, java.nio.FloatBuffer.wrap(in), new long[] {rows.length / width, width});
        var result = session.run(Map.of(entry.input(), tensor))) {
      java.nio.FloatBuffer out = ((ai.onnxruntime.OnnxTensor) result.get(0)).getFloatBuffer();
      float[] values = new float[out.remaining()];
      out.get(values);
      return values;
    }
  }
}
