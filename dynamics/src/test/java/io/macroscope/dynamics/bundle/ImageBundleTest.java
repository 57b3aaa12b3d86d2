package io.macroscope.dynamics.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.ae.DynamicsAeConfig;
import io.macroscope.dynamics.ae.DynamicsAeTrainer;
import io.macroscope.dynamics.ae.TrainedAutoencoder;
import io.macroscope.dynamics.sim.SpotVideo;
import io.macroscope.dynamics.sim.Warp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle of the convolutional image networks serves the same latent on both engines. */
class ImageBundleTest {

  private static final int FRAMES = 1000;

  @TempDir Path dir;

  @Test
  void shouldServeImageBundleOnOnnxRuntimeAndPyTorchEngineAlike() {
    SpotVideo video = SpotVideo.simulate(FRAMES, 64, Warp.NONE, 2.0, 400, 10, 10, 3);
    DynamicsAeConfig config =
        DynamicsAeConfig.imageBuilder()
            .setLatentDim(2)
            .optHidden(64, 3)
            .optEpochs(2)
            .optWarmupEpochs(1)
            .optSeed(3)
            .build();
    float[] djl;
    ModelBundle bundle;
    try (TrainedAutoencoder model =
        new DynamicsAeTrainer(config, e -> {}).fitImages(video.frames(), FRAMES, 1, 64, 64)) {
      djl = model.encode(video.frames(), FRAMES);
      bundle =
          ModelBundle.write(
              dir.resolve("spot-v1"), model, "v1", Map.of("val_loss", 1.0), video.frames());
    }
    ModelBundle reread = ModelBundle.read(bundle.dir());
    assertEquals("image", reread.manifest().input().kind());
    assertEquals(List.of(1, 64, 64), reread.manifest().input().shape());
    assertTrue(reread.manifest().files().containsKey("encoder-pytorch"));
    float[] onnx;
    float[] pytorch;
    try (BundleEncoder o = BundleEncoder.open(reread, BundleEncoder.Engine.ONNX, 1);
        BundleEncoder p = BundleEncoder.open(reread, BundleEncoder.Engine.PYTORCH, 1)) {
      onnx = o.encode(video.frames(), FRAMES);
      pytorch = p.encode(video.frames(), FRAMES);
    }
    double spread = 0;
    double onnxDiff = 0;
    double engineDiff = 0;
    for (int i = 0; i < djl.length; i++) {
      spread = Math.max(spread, Math.abs(djl[i] - djl[i % 2]));
      onnxDiff = Math.max(onnxDiff, Math.abs(onnx[i] - djl[i]));
      engineDiff = Math.max(engineDiff, Math.abs(pytorch[i] - onnx[i]));
    }
    assertTrue(spread > 0.1, "the latent must vary over the movie, spread " + spread);
    assertEquals(0, onnxDiff, 1e-5);
    assertEquals(0, engineDiff, 1e-5);
  }
}
