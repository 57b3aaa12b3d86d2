package io.macroscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.macroscope.dynamics.data.Npy;
import io.macroscope.dynamics.particles.ExtendedXyz;
import io.macroscope.dynamics.sim.StepForceParticles;
import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.embedded.EmbeddedClusterExtension;
import io.macroscope.schemas.Frame;
import io.macroscope.schemas.ParticleSnapshot;
import io.macroscope.schemas.PixelType;
import io.macroscope.schemas.Topics;
import io.macroscope.streams.PipelineHarness;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code macroscope feed} against the real broker and registry. */
@ExtendWith(EmbeddedClusterExtension.class)
class FeedIT {

  @TempDir Path dir;

  @Test
  void shouldReplayTrajectoryAsSnapshotsAndArrayAsFrames(EmbeddedCluster cluster) throws Exception {
    try (PipelineHarness h = new PipelineHarness(cluster, "feed")) {
      Path xyz = dir.resolve("run-3.xyz");
      var frames = StepForceParticles.defaults().simulate(8, 5, 2, 1);
      ExtendedXyz.write(xyz, frames);
      int code =
          Macroscope.run(
              "feed",
              "--input",
              xyz.toString(),
              "--rate",
              "0",
              "--bootstrap",
              cluster.bootstrapServers(),
              "--registry",
              cluster.registryUrl(),
              "--topic",
              h.topics.of(Topics.SNAPSHOTS));
      assertEquals(0, code);
      List<ParticleSnapshot> snapshots =
          h.read(
              Topics.SNAPSHOTS,
              h.values(Topics.SNAPSHOTS),
              l -> l.size() >= 5,
              Duration.ofSeconds(30));
      assertEquals(
          List.of(0L, 1L, 2L, 3L, 4L),
          snapshots.stream().map(ParticleSnapshot::getSequence).toList());
      assertEquals("run-3", snapshots.get(0).getSourceId());
      assertEquals(frames.get(4).macro("energy"), snapshots.get(4).getMacros().get("energy"), 1e-9);

      Path npy = dir.resolve("movie.npy");
      float[] values = new float[3 * 2 * 4];
      for (int i = 0; i < values.length; i++) {
        values[i] = i;
      }
      Npy.write(npy, new int[] {3, 2, 4}, values);
      code =
          Macroscope.run(
              "feed",
              "--input",
              npy.toString(),
              "--rate",
              "50",
              "--source-id",
              "cam-9",
              "--bootstrap",
              cluster.bootstrapServers(),
              "--registry",
              cluster.registryUrl(),
              "--topic",
              h.topics.of(Topics.FRAMES));
      assertEquals(0, code);
      List<Frame> out =
          h.read(
              Topics.FRAMES, h.values(Topics.FRAMES), l -> l.size() >= 3, Duration.ofSeconds(30));
      assertEquals(3, out.size());
      Frame last = out.get(2);
      assertEquals("cam-9", last.getSourceId());
      assertEquals(PixelType.U16, last.getPixelType());
      assertEquals(4, last.getWidth());
      assertEquals(2, last.getHeight());
      assertEquals(
          2 * 8 + 5, last.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN).getShort(2 * 5));
    }
  }
}
