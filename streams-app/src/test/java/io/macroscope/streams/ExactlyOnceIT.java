package io.macroscope.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.embedded.EmbeddedClusterExtension;
import io.macroscope.schemas.Forecast;
import io.macroscope.schemas.LatentState;
import io.macroscope.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crashes: the streams-app runs as its own JVM ({@code macroscope streams --config}) and is
 * killed with SIGKILL twice in the middle of a feed: first while inputs sit in its micro-batch
 * store (committed, not yet encoded), then right after a micro-batch's outputs were written but
 * before their transaction committed. A third instance finishes. Every input must come out exactly
 * once. (Run with at_least_once, the second kill duplicates outputs and this test fails.)
 */
@ExtendWith(EmbeddedClusterExtension.class)
class ExactlyOnceIT {

  @TempDir Path dir;

  @Test
  void shouldNeitherLoseNorDuplicateAcrossAKill(EmbeddedCluster cluster) throws Exception {
    try (PipelineHarness h = new PipelineHarness(cluster, "crash")) {
      Map<String, String> settings = h.settings(dir.resolve("state"));
      // encode only on a 2 s deadline: at any moment a committed backlog waits in the store
      settings.put("encode.max.batch", "100000");
      settings.put("encode.max.wait.ms", "2000");
      settings.put("kafka.session.timeout.ms", "6000");
      settings.put("kafka.heartbeat.interval.ms", "1000");
      Path config = dir.resolve("streams.properties");
      h.release(TestBundles.release("microscope", "v1", TestBundles.dynamicsAe(), null));

      int perSource = 1000;
      int warmUp = 10;
      for (int i = 0; i < warmUp; i++) {
        h.send(TestBundles.frame("f0", i, TestBundles.input(i)));
        h.send(TestBundles.frame("f1", i, TestBundles.input(i + 7)));
      }
      h.flush();
      AtomicBoolean feeding = new AtomicBoolean(true);
      Thread feed =
          new Thread(
              () -> {
                for (int i = warmUp; i < perSource; i++) {
                  h.send(TestBundles.frame("f0", i, TestBundles.input(i)));
                  h.send(TestBundles.frame("f1", i, TestBundles.input(i + 7)));
                  h.flush();
                  sleep(20);
                }
                feeding.set(false);
              });
      // kill 1: the first instance never reaches a batch deadline, so everything it takes in
      // waits in its store; commits (every 1 s) put that backlog in the changelog
      write(config, settings, "1000", "600000");
      Process first = start(config, dir.resolve("first.log"));
      try {
        awaitLine(dir.resolve("first.log"), "pipeline RUNNING");
        awaitLine(dir.resolve("first.log"), "serving microscope");
        feed.start();
        sleep(3000);
      } finally {
        first.destroyForcibly().waitFor();
      }
      assertTrue(
          h.read(
                  Topics.LATENT_STATES,
                  h.values(Topics.LATENT_STATES),
                  l -> false,
                  Duration.ofSeconds(1))
              .isEmpty(),
          "the first instance encoded nothing: its inputs lived only in its store");
      assertTrue(feeding.get(), "first kill while the feed was still running");
      // kill 2 lands right after a flush wrote outputs whose transaction (every 5 s) is open
      write(config, settings, "5000", "2000");
      Process second = start(config, dir.resolve("second.log"));
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        boolean inFlight = false;
        while (!inFlight && System.nanoTime() < deadline) {
          int committed =
              h.read(
                      Topics.LATENT_STATES,
                      h.values(Topics.LATENT_STATES),
                      l -> false,
                      Duration.ofMillis(300))
                  .size();
          int written =
              h.read(
                      Topics.LATENT_STATES,
                      h.values(Topics.LATENT_STATES),
                      l -> l.size() > committed,
                      Duration.ofMillis(300),
                      false)
                  .size();
          inFlight = written > committed;
        }
        assertTrue(
            inFlight,
            "saw outputs of an open transaction: " + Files.readString(dir.resolve("second.log")));
      } finally {
        second.destroyForcibly().waitFor();
      }
      assertTrue(feeding.get(), "second kill while the feed was still running");
      String secondLog = Files.readString(dir.resolve("second.log"));
      assertTrue(
          secondLog.contains("restored from the pending store"),
          "the second instance found the committed backlog of the first: " + secondLog);
      write(config, settings, "100", "2000");
      Process third = start(config, dir.resolve("third.log"));
      try {
        feed.join();
        int total = 2 * perSource;
        List<LatentState> states =
            h.read(
                Topics.LATENT_STATES,
                h.values(Topics.LATENT_STATES),
                l -> l.size() >= total,
                Duration.ofSeconds(120));
        sleep(3000); // anything duplicated would arrive now
        states =
            h.read(
                Topics.LATENT_STATES,
                h.values(Topics.LATENT_STATES),
                l -> l.size() > total,
                Duration.ofSeconds(3));
        List<Forecast> forecasts =
            h.read(
                Topics.FORECASTS,
                h.values(Topics.FORECASTS),
                l -> l.size() > total,
                Duration.ofSeconds(3));
        for (String source : List.of("f0", "f1")) {
          List<Long> seqs =
              states.stream()
                  .filter(s -> s.getSourceId().equals(source))
                  .map(LatentState::getSequence)
                  .toList();
          assertEquals(
              java.util.stream.LongStream.range(0, perSource).boxed().toList(),
              seqs,
              source + ": every input exactly once, in order");
          List<Long> forecastSeqs =
              forecasts.stream()
                  .filter(f -> f.getSourceId().equals(source))
                  .map(Forecast::getSequence)
                  .toList();
          assertEquals(seqs, forecastSeqs, source + ": one forecast per state");
        }
      } finally {
        third.destroy();
        third.waitFor();
      }
    }
  }

  private static void write(
      Path config, Map<String, String> settings, String commitMillis, String maxWaitMillis)
      throws IOException {
    Map<String, String> s = new java.util.LinkedHashMap<>(settings);
    s.put("commit.interval.ms", commitMillis);
    s.put("encode.max.wait.ms", maxWaitMillis);
    Files.writeString(
        config,
        s.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n")));
  }

  private static void awaitLine(Path log, String text) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      sleep(100);
    }
    throw new AssertionError("no '" + text + "' in " + log + ": " + Files.readString(log));
  }

  private static Process start(Path config, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.macroscope.cli.Macroscope");
    command.add("streams");
    command.add("--config");
    command.add(config.toString());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
