package io.macroscope.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.data.Npy;
import io.macroscope.dynamics.particles.ExtendedXyz;
import io.macroscope.dynamics.sim.StepForceParticles;
import io.macroscope.dynamics.sim.ThreeWellTrajectory;
import io.macroscope.dynamics.sim.Warp;
import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.embedded.EmbeddedClusterExtension;
import io.macroscope.schemas.ModelMethod;
import io.macroscope.schemas.ModelRelease;
import io.macroscope.schemas.TopicNames;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.TrainerOutcome;
import io.macroscope.schemas.TrainerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The trainer service learning from files (trainer.input) instead of the feed topics. */
@ExtendWith(EmbeddedClusterExtension.class)
class TrainerFilesIT {

  @TempDir Path dir;

  private Map<String, String> settings(EmbeddedCluster cluster, TopicNames topics) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", cluster.bootstrapServers());
    s.put("schema.registry.url", cluster.registryUrl());
    s.put("topic.prefix", topics.prefix());
    s.put("trainer.interval.s", "0");
    s.put("trainer.min.frames", "100");
    s.put("model.store", dir.resolve("store").toString());
    return s;
  }

  @Test
  void shouldTrainBothMethodsFromFilesAndFailClearlyOnAMissingOne(EmbeddedCluster cluster)
      throws Exception {
    TopicNames topics = new TopicNames("files-" + System.nanoTime() + ".");
    cluster.createTopics(Topics.ALL, Optional.of(1), topics.prefix());
    Path xyz = Files.createDirectories(dir.resolve("runs"));
    StepForceParticles sim = StepForceParticles.defaults();
    for (int r = 0; r < 8; r++) {
      ExtendedXyz.write(xyz.resolve("run-" + r + ".xyz"), sim.simulate(20, 21, 2, 40 + r));
    }
    ThreeWellTrajectory walk = ThreeWellTrajectory.simulate(800, 1.0, 0.01, 1, Warp.PARABOLIC, 3);
    Path npy = dir.resolve("walk.npy");
    Npy.write(npy, new int[] {800, 2}, walk.observed());

    Map<String, String> closure = settings(cluster, topics);
    closure.put("trainer.model", "particles");
    closure.put("trainer.method", "closure");
    closure.put("trainer.input", xyz.toString());
    closure.put("trainer.epochs", "1");
    closure.put("trainer.dynamics.epochs", "10");
    closure.put("trainer.dynamics.restarts", "2");
    closure.put("trainer.dynamics.average", "true");
    Map<String, String> walker = settings(cluster, topics);
    walker.put("trainer.model", "walker");
    walker.put("trainer.input", npy.toString());
    walker.put("trainer.window.frames", "600");
    walker.put("trainer.epochs", "2");
    walker.put("trainer.batch", "64");
    // a store that cannot take the bundle: the run trains, then fails before announcing anything
    Map<String, String> blocked = new HashMap<>(walker);
    blocked.put("trainer.model", "blocked");
    Files.createDirectories(dir.resolve("store"));
    Files.writeString(dir.resolve("store").resolve("blocked"), "not a directory");
    Map<String, String> missing = new HashMap<>(walker);
    missing.put("trainer.input", dir.resolve("nothing.npy").toString());

    TrainerStatus particles;
    TrainerStatus walked;
    TrainerStatus failed;
    TrainerStatus unstored;
    try (TrainerService a = new TrainerService(TrainerSettings.of(closure));
        TrainerService b = new TrainerService(TrainerSettings.of(walker));
        TrainerService c = new TrainerService(TrainerSettings.of(missing));
        TrainerService d = new TrainerService(TrainerSettings.of(blocked))) {
      particles = a.runOnce("test");
      walked = b.runOnce("test");
      failed = c.runOnce("test");
      unstored = d.runOnce("test");
    }
    assertEquals(TrainerOutcome.FAILED, unstored.getOutcome());
    assertTrue(
        unstored.getMessage().contains("cannot store bundle blocked/"), unstored.getMessage());
    assertTrue(unstored.getMetrics().containsKey("candidate_reconstruction"), "it did train");
    assertEquals(TrainerOutcome.PUBLISHED, particles.getOutcome(), particles.getMessage());
    assertEquals(TrainerOutcome.PUBLISHED, walked.getOutcome(), walked.getMessage());
    assertEquals(TrainerOutcome.FAILED, failed.getOutcome());
    assertTrue(failed.getMessage().contains("nothing.npy does not exist"), failed.getMessage());

    List<ModelRelease> releases =
        cluster.read(
            topics.of(Topics.MODELS),
            Topics.MODELS.valueSerde(cluster.schemaRegistry()).deserializer(),
            l -> l.size() >= 3,
            Duration.ofSeconds(10),
            true);
    assertEquals(2, releases.size(), "nothing announced for the run that could not store");
    ModelRelease p =
        releases.stream().filter(r -> r.getModelName().equals("particles")).findFirst().get();
    ModelRelease w =
        releases.stream().filter(r -> r.getModelName().equals("walker")).findFirst().get();
    assertEquals(ModelMethod.CLOSURE, p.getMethod());
    assertEquals("8", p.getLineage().get("window.trajectories"));
    assertEquals("2", p.getLineage().get("holdout_trajectories"), "the last 20 % of the files");
    assertTrue(Double.isFinite(p.getMetrics().get("candidate_mre")));
    // two dynamics fits averaged: the released drift is one network twice the configured width
    assertEquals(
        List.of(128, 128),
        ReleaseBundles.fetch(p, dir.resolve("cache")).manifest().closure().dynamics().hidden());
    assertEquals(ModelMethod.DYNAMICS_AE, w.getMethod());
    assertEquals("600", w.getLineage().get("window.frames"));
    assertEquals("200-799", w.getLineage().get("window.rows"), "the last window.frames rows");
    assertTrue(
        w.getMetrics().get("candidate_reconstruction") < 1,
        "reconstructs better than the mean: " + w.getMetrics());
  }
}
