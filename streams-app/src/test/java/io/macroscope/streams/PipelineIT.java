package io.macroscope.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.embedded.EmbeddedClusterExtension;
import io.macroscope.schemas.Alert;
import io.macroscope.schemas.AlertKind;
import io.macroscope.schemas.AlertRule;
import io.macroscope.schemas.AlertStatus;
import io.macroscope.schemas.DeadLetter;
import io.macroscope.schemas.Forecast;
import io.macroscope.schemas.LatentState;
import io.macroscope.schemas.ModelRelease;
import io.macroscope.schemas.Topics;
import io.macroscope.streams.pipeline.DeadLetters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on the real in-process broker and registry. */
@ExtendWith(EmbeddedClusterExtension.class)
class PipelineIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void shouldAccountForEveryInputAndKeepServingPastBadInputAndBadRelease(EmbeddedCluster cluster)
      throws Exception {
    try (PipelineHarness h = new PipelineHarness(cluster, "accounting");
        StreamsApp app = new StreamsApp(StreamsSettings.of(withMetrics(h.settings(dir)))).start()) {
      h.release(TestBundles.release("microscope", "v1", TestBundles.dynamicsAe(), null));
      int good = 0;
      for (int i = 0; i < 40; i++) {
        h.send(TestBundles.frame("cam-a", i, TestBundles.input(i)));
        good++;
        if (i == 10) {
          h.sendRaw("cam-a", new byte[] {1, 2, 3}); // not Avro at all
          h.send(TestBundles.frame("cam-a", 1000, 0.5f, Float.POSITIVE_INFINITY));
        }
        if (i == 20) {
          // a corrupt release: the bytes do not match the SHA-256
          ModelRelease bad =
              TestBundles.release("microscope", "v2-bad", TestBundles.dynamicsAe(), "v1");
          bad.setSha256("00" + bad.getSha256().substring(2));
          h.release(bad);
        }
      }
      h.flush();
      int total = good;
      List<LatentState> states =
          h.read(
              Topics.LATENT_STATES, h.values(Topics.LATENT_STATES), l -> l.size() >= total, WAIT);
      List<DeadLetter> letters =
          h.read(Topics.DEAD_LETTERS, h.values(Topics.DEAD_LETTERS), l -> l.size() >= 3, WAIT);
      List<Forecast> forecasts =
          h.read(Topics.FORECASTS, h.values(Topics.FORECASTS), l -> l.size() >= total, WAIT);

      assertEquals(good, states.size());
      assertEquals(
          java.util.stream.LongStream.range(0, good).boxed().toList(),
          states.stream().map(LatentState::getSequence).sorted().toList(),
          "each good frame exactly once");
      assertTrue(
          states.stream().allMatch(s -> s.getModelVersion().equals("v1")), "v1 kept serving");
      assertEquals(good, forecasts.size());
      Map<String, Long> stages =
          letters.stream()
              .collect(
                  Collectors.groupingBy(DeadLetter::getStage, TreeMap::new, Collectors.counting()));
      assertEquals(
          Map.of(DeadLetters.VALIDATE, 2L, DeadLetters.MODEL_LOAD, 1L), stages, letters.toString());
      DeadLetter rejected =
          letters.stream()
              .filter(l -> l.getStage().equals(DeadLetters.MODEL_LOAD))
              .findFirst()
              .orElseThrow();
      assertTrue(rejected.getReason().contains("SHA-256"), rejected.getReason());
      assertEquals(h.topics.of(Topics.MODELS), rejected.getSourceTopic());
      assertTrue(app.metrics().count("macroscope.inputs") >= good + 2);
      // the Prometheus endpoint serves the same meters
      String scrape =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(
          scrape.contains("macroscope_latent_states_total{kind=\"frames\"} " + good + ".0"),
          scrape);
      assertTrue(
          scrape.contains("macroscope_dead_letters_total{kind=\"frames\",stage=\"validate\"} 2.0"),
          scrape);
      assertTrue(
          scrape.contains(
              "macroscope_model_serving{line=\"microscope\",method=\"DYNAMICS_AE\",version=\"v1\"} 1.0"),
          scrape);
      assertTrue(scrape.contains("macroscope_latency_end_to_end_seconds"), scrape);
    }
  }

  @Test
  void shouldFireAndResolveAlertsAndTakeRuleEditsAtRunTime(EmbeddedCluster cluster)
      throws Exception {
    try (PipelineHarness h = new PipelineHarness(cluster, "alerts");
        StreamsApp app = new StreamsApp(StreamsSettings.of(h.settings(dir))).start()) {
      h.release(TestBundles.release("microscope", "v1", TestBundles.dynamicsAe(), null));
      for (int i = 0; i < 10; i++) {
        h.send(TestBundles.frame("cam-b", i, TestBundles.input(i)));
      }
      h.flush();
      h.read(Topics.LATENT_STATES, h.values(Topics.LATENT_STATES), l -> l.size() >= 10, WAIT);
      // a rule added while running: certain to hold, so it fires at the next state
      h.rule("r1", rule(-1e9));
      Thread.sleep(500); // the global rules store follows the topic asynchronously
      for (int i = 10; i < 20; i++) {
        h.send(TestBundles.frame("cam-b", i, TestBundles.input(i)));
      }
      h.flush();
      List<Alert> fired = h.read(Topics.ALERTS, h.values(Topics.ALERTS), l -> !l.isEmpty(), WAIT);
      assertEquals(1, fired.size(), fired.toString());
      assertEquals(AlertStatus.FIRING, fired.get(0).getStatus());
      assertTrue(fired.get(0).getSequence() >= 10);
      // edited so that it cannot hold: resolves once
      h.rule("r1", rule(1e9));
      Thread.sleep(500);
      for (int i = 20; i < 30; i++) {
        h.send(TestBundles.frame("cam-b", i, TestBundles.input(i)));
      }
      h.flush();
      List<Alert> all = h.read(Topics.ALERTS, h.values(Topics.ALERTS), l -> l.size() >= 2, WAIT);
      Thread.sleep(1000);
      all =
          h.read(Topics.ALERTS, h.values(Topics.ALERTS), l -> l.size() > 2, Duration.ofSeconds(2));
      assertEquals(2, all.size(), all.toString());
      assertEquals(AlertStatus.RESOLVED, all.get(1).getStatus());
      assertEquals(all.get(0).getAlertId(), all.get(1).getAlertId());
    }
  }

  @Test
  void shouldSwapModelUnderLoadWithoutGapOrDuplicate(EmbeddedCluster cluster) throws Exception {
    try (PipelineHarness h = new PipelineHarness(cluster, "swap");
        StreamsApp app = new StreamsApp(StreamsSettings.of(h.settings(dir))).start()) {
      byte[] bundle = TestBundles.dynamicsAe();
      h.release(TestBundles.release("microscope", "v1", bundle, null));
      String[] sources = {"s0", "s1", "s2"};
      int perSource = 150;
      for (int i = 0; i < perSource; i++) {
        for (String s : sources) {
          h.send(TestBundles.frame(s, i, TestBundles.input(i)));
        }
        if (i == perSource / 3) {
          h.release(TestBundles.release("microscope", "v2", bundle, "v1"));
        }
        Thread.sleep(10);
      }
      h.flush();
      int total = perSource * sources.length;
      List<LatentState> states =
          h.read(
              Topics.LATENT_STATES, h.values(Topics.LATENT_STATES), l -> l.size() >= total, WAIT);
      assertEquals(total, states.size());
      Map<String, List<LatentState>> bySource = new HashMap<>();
      states.forEach(
          s -> bySource.computeIfAbsent(s.getSourceId(), k -> new java.util.ArrayList<>()).add(s));
      for (String s : sources) {
        List<LatentState> mine = bySource.get(s);
        // in order, no gap, no duplicate
        assertEquals(
            java.util.stream.LongStream.range(0, perSource).boxed().toList(),
            mine.stream().map(LatentState::getSequence).toList(),
            s);
        // the version switches once, from v1 to v2, and never back
        List<String> versions = mine.stream().map(LatentState::getModelVersion).distinct().toList();
        assertEquals("v2", versions.get(versions.size() - 1), s + " " + versions);
        int firstV2 = mine.stream().map(LatentState::getModelVersion).toList().indexOf("v2");
        assertTrue(
            mine.subList(firstV2, perSource).stream()
                .allMatch(x -> x.getModelVersion().equals("v2")));
      }
    }
  }

  private static Map<String, String> withMetrics(Map<String, String> settings) {
    settings.put("metrics.port", "0");
    return settings;
  }

  private static AlertRule rule(double threshold) {
    return AlertRule.newBuilder()
        .setRuleId("r1")
        .setKind(AlertKind.THRESHOLD)
        .setComponent("z0")
        .setThreshold(threshold)
        .setBelow(false)
        .setHorizonSteps(5)
        .setMinProbability(0.9)
        .setSourcePattern("cam-.*")
        .build();
  }
}
