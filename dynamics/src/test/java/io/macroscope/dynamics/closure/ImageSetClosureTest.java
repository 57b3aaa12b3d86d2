package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.metrics.LatentError;
import io.macroscope.dynamics.particles.ImageSets;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.SpotVideo;
import io.macroscope.dynamics.sim.Warp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Images as sets: frames of the fluorescence-movie simulator become pixel clouds with an intensity
 * column, and a closure model trained only to reconstruct their densities (plus the spot's position
 * as its macro) learns a latent that tells where the spot is — far better than chance.
 */
class ImageSetClosureTest {

  @Test
  void shouldLearnWhereTheSpotIsFromPixelClouds() {
    int frames = 600;
    SpotVideo video = SpotVideo.simulate(frames, 64, Warp.NONE, 2.0, 400, 10, 10, 5);
    List<List<ParticleFrame>> trajectories = new ArrayList<>();
    for (int start = 0; start < frames; start += 50) {
      List<ParticleFrame> t = new ArrayList<>();
      for (int f = start; f < start + 50; f++) {
        t.add(
            ImageSets.toSet(
                video.frames(),
                f,
                64,
                64,
                3,
                Map.of("x", Double.toString(video.truth()[2 * f]), "time", Integer.toString(f))));
      }
      trajectories.add(t);
    }
    ClosureConfig config =
        ClosureConfig.builder()
            .optLatentDim(2)
            .optSigma(1.0) // pixel units
            .optAutoencoderEpochs(3)
            .optDynamicsEpochs(5)
            .optSamplesPerSet(64)
            .optSeed(3)
            .build();
    try (TrainedClosure model =
        new ClosureTrainer(config, e -> {})
            .fit(trajectories, List.of("x"), List.of(ImageSets.INTENSITY))) {
      List<ParticleFrame> all = trajectories.stream().flatMap(List::stream).toList();
      float[] z = model.encode(all);
      double[] latent = new double[z.length];
      for (int i = 0; i < z.length; i++) {
        latent[i] = z[i];
      }
      LatentError.Result fit = LatentError.compute(latent, video.truth(), frames, 2);
      // 1.0 = no information about the position; a latent that tracks the spot is far below
      assertTrue(fit.similarity() < 0.3, "similarity-corrected position error " + fit.similarity());
    }
  }
}
