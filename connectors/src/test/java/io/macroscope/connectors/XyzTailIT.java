package io.macroscope.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.particles.ExtendedXyz;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.StepForceParticles;
import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.embedded.EmbeddedClusterExtension;
import io.macroscope.schemas.DeadLetter;
import io.macroscope.schemas.ParticleSnapshot;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The XYZ tail on a real Connect worker, against the real broker and registry. */
@ExtendWith(EmbeddedClusterExtension.class)
class XyzTailIT {

  @TempDir Path dir;

  @Test
  void shouldFollowAGrowingFileAcrossAWorkerRestartWithoutGapOrDuplicate(EmbeddedCluster cluster)
      throws Exception {
    String prefix = "xyz-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    cluster.createTopics(List.of(Topics.SNAPSHOTS, Topics.DEAD_LETTERS), Optional.of(1), prefix);
    Path file = dir.resolve("run-7.xyz");
    List<ParticleFrame> frames = StepForceParticles.defaults().simulate(12, 40, 2, 3);
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.macroscope.connectors.xyz.XyzTailSourceConnector");
    config.put("tasks.max", "1");
    config.put("file", file.toString());
    config.put("topic", prefix + "snapshots");
    config.put("dead.letter.topic", prefix + "dead-letters");
    config.put("schema.registry.url", cluster.registryUrl());
    config.put("poll.interval.ms", "50");
    config.put("batch.max.frames", "7");
    Path offsets = dir.resolve("offsets");

    // the first 15 frames, then half of frame 15 (a simulation caught mid-write)
    String text = xyz(frames);
    List<Integer> starts = frameStarts(text);
    append(file, text.substring(0, starts.get(15) + 40));
    try (ConnectWorker worker = new ConnectWorker(cluster, offsets)) {
      worker.put("tail", config);
      assertEquals(
          15, read(cluster, prefix + "snapshots", snapshots(cluster), l -> l.size() >= 15).size());
    }
    // while no worker runs: the rest of frame 15, a malformed frame, frames 16..39
    append(file, text.substring(starts.get(15) + 40, starts.get(16)));
    append(file, "2\nProperties=species:S:1:pos:R:2 energy=0.1\nA 0.0 0.0\nA abc 1.0\n");
    append(file, text.substring(starts.get(16)));
    try (ConnectWorker worker = new ConnectWorker(cluster, offsets)) {
      worker.put("tail", config);
      List<ParticleSnapshot> all =
          read(cluster, prefix + "snapshots", snapshots(cluster), l -> l.size() >= 40);
      Thread.sleep(1000);
      all =
          read(
              cluster,
              prefix + "snapshots",
              snapshots(cluster),
              l -> l.size() > 40,
              Duration.ofSeconds(3));
      assertEquals(
          java.util.stream.LongStream.range(0, 40).boxed().toList(),
          all.stream().map(ParticleSnapshot::getSequence).toList(),
          "every frame once, in order, across the restart");
      ParticleSnapshot s = all.get(20);
      assertEquals("run-7", s.getSourceId());
      assertEquals(12, s.getParticleCount());
      assertEquals(frames.get(20).macro("energy"), s.getMacros().get("energy"), 1e-6);
      List<DeadLetter> letters =
          read(cluster, prefix + "dead-letters", deadLetters(cluster), l -> !l.isEmpty());
      assertEquals(1, letters.size());
      assertTrue(letters.get(0).getReason().contains("abc"), letters.get(0).getReason());
      assertTrue(letters.get(0).getReason().contains("run-7.xyz"), letters.get(0).getReason());
    }
  }

  static String xyz(List<ParticleFrame> frames) throws Exception {
    StringWriter out = new StringWriter();
    for (ParticleFrame f : frames) {
      ExtendedXyz.write(out, f);
    }
    return out.toString();
  }

  /** Character offsets where each frame's count line starts. */
  static List<Integer> frameStarts(String text) {
    List<Integer> starts = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int at = 0;
    int i = 0;
    while (i < lines.length && !lines[i].isEmpty()) {
      starts.add(at);
      int n = Integer.parseInt(lines[i].trim());
      for (int k = 0; k < n + 2; k++) {
        at += lines[i + k].length() + 1;
      }
      i += n + 2;
    }
    return starts;
  }

  static void append(Path file, String text) throws Exception {
    Files.writeString(
        file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static Deserializer<ParticleSnapshot> snapshots(EmbeddedCluster cluster) {
    SchemaRegistry registry = cluster.schemaRegistry();
    return Topics.SNAPSHOTS.valueSerde(registry).deserializer();
  }

  static Deserializer<DeadLetter> deadLetters(EmbeddedCluster cluster) {
    return Topics.DEAD_LETTERS.valueSerde(cluster.schemaRegistry()).deserializer();
  }

  static <V> List<V> read(
      EmbeddedCluster cluster, String topic, Deserializer<V> values, Predicate<List<V>> done) {
    return read(cluster, topic, values, done, Duration.ofSeconds(60));
  }

  static <V> List<V> read(
      EmbeddedCluster cluster,
      String topic,
      Deserializer<V> values,
      Predicate<List<V>> done,
      Duration timeout) {
    return cluster.read(topic, values, done, timeout, false);
  }
}
