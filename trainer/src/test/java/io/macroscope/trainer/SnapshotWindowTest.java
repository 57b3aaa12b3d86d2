package io.macroscope.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.schemas.ParticleSnapshot;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotWindowTest {

  /** A one-particle snapshot whose x position is its sequence number (to identify it). */
  private static SnapshotWindow.Entry entry(String source, long sequence, double time, long ended) {
    ParticleSnapshot s =
        ParticleSnapshot.newBuilder()
            .setSourceId(source)
            .setSequence(sequence)
            .setSimulationTime(time)
            .setCaptureTime(Instant.ofEpochMilli(ended))
            .setSpatialDim(2)
            .setParticleCount(1)
            .setPositions(
                ByteBuffer.allocate(8)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putFloat(sequence)
                    .putFloat(0)
                    .flip())
            .setMacros(Map.of("energy", 1.0))
            .build();
    return new SnapshotWindow.Entry(s, SnapshotFrames.decode(s).toFrame(List.of()));
  }

  private static List<List<Integer>> ids(List<List<ParticleFrame>> trajectories) {
    List<List<Integer>> out = new ArrayList<>();
    for (List<ParticleFrame> t : trajectories) {
      out.add(t.stream().map(f -> (int) f.positions()[0]).toList());
    }
    return out;
  }

  @Test
  void shouldCutAtRestartsAndGapsAndOrderByWhenTrajectoriesEnded() {
    Map<String, List<SnapshotWindow.Entry>> feeds = new LinkedHashMap<>();
    // feed a, delivered out of order: 0-2 one run, the time restarts at 3, a gap after 4
    feeds.put(
        "a",
        List.of(
            entry("a", 2, 0.2, 120),
            entry("a", 0, 0.0, 100),
            entry("a", 1, 0.1, 110),
            entry("a", 3, 0.0, 130),
            entry("a", 4, 0.1, 140),
            entry("a", 6, 0.3, 160),
            entry("a", 7, 0.4, 170)));
    // feed b: one run that ended between a's first and second
    feeds.put("b", List.of(entry("b", 10, 5.0, 115), entry("b", 11, 5.5, 125)));
    List<List<ParticleFrame>> cut = SnapshotWindow.cut(feeds);
    assertEquals(
        List.of(List.of(0, 1, 2), List.of(10, 11), List.of(3, 4), List.of(6, 7)), ids(cut));
  }
}
