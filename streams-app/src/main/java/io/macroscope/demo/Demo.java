package io.macroscope.demo;

import io.macroscope.dynamics.sim.StepForceParticles;
import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.schemas.AlertRule;
import io.macroscope.schemas.ModelRelease;
import io.macroscope.schemas.TopicSpec;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import io.macroscope.streams.StreamsApp;
import io.macroscope.streams.StreamsSettings;
import io.macroscope.trainer.TrainerService;
import io.macroscope.trainer.TrainerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The whole system on one machine: embedded broker and registry, the topic catalogue, models
 * trained at start-up and published, the streams-app (encode, forecast, alert), the simulated
 * microscope and particle feeds, optionally the trainer services, a live view once a second, and
 * the summary line.
 */
public final class Demo {

  /** Snapshots per simulation run of the particle feed (each run restarts from a new state). */
  private static final int PARTICLE_RUN_FRAMES = 40;

  private final DemoOptions options;
  private final PrintStream out;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile long framesProduced;
  private volatile long snapshotsProduced;

  public Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs until the duration elapses or the JVM is asked to stop (Ctrl-C); returns the summary. */
  public DemoSummary runUntilStopped() {
    Thread hook = new Thread(this::stopAndWait, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return run();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running and waits for us
      }
    }
  }

  /** Inputs (frames and snapshots) the simulated feeds delivered to Kafka in the last run. */
  public long inputsProduced() {
    return framesProduced + snapshotsProduced;
  }

  /** Asks a running demo to stop and waits for it to print its summary and shut down. */
  public void stopAndWait() {
    stopRequested.countDown();
    try {
      finished.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private DemoSummary run() {
    try {
      Files.createDirectories(options.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + options.dataDir(), e);
    }
    out.printf("macroscope demo: data and state under %s%n", options.dataDir().toAbsolutePath());
    out.println("starting embedded Kafka (KRaft) and schema registry on 127.0.0.1 ...");
    try (EmbeddedCluster cluster = EmbeddedCluster.start(options.dataDir())) {
      out.printf(
          "  kafka     %s  (ready in %d ms)%n",
          cluster.bootstrapServers(), cluster.kafka().startupTime().toMillis());
      out.printf(
          "  registry  %s  (ready in %d ms)%n",
          cluster.registryUrl(), cluster.registry().startupTime().toMillis());
      cluster.createTopics(Topics.ALL, Optional.of(options.partitions()));
      try (SchemaRegistry registry = cluster.schemaRegistry()) {
        Topics.ALL.forEach(topic -> topic.registerValueSchema(registry));
      }
      out.printf("  topics    %s%n", Topics.ALL.stream().map(TopicSpec::name).toList());
      return runPipeline(cluster);
    }
  }

  private DemoSummary runPipeline(EmbeddedCluster cluster) {
    DemoModels.Budget budget = options.quick() ? DemoModels.Budget.QUICK : DemoModels.Budget.DEMO;
    out.printf(
        "training the demo's models at start-up (%s budget) ...%n", budget.name().toLowerCase());
    Path modelDir = options.dataDir().resolve("models-" + System.currentTimeMillis());
    DemoModels.Trained microscope = DemoModels.microscope(budget, modelDir, options.seed(), out);
    DemoModels.Trained particles = DemoModels.particles(budget, modelDir, options.seed(), out);
    List<String> topicNames = Topics.ALL.stream().map(TopicSpec::name).toList();
    StreamsSettings settings =
        StreamsSettings.of(
            Map.of(
                "bootstrap.servers",
                cluster.bootstrapServers(),
                "schema.registry.url",
                cluster.registryUrl(),
                "application.id",
                "macroscope-demo",
                "state.dir",
                options.dataDir().resolve("streams").toString(),
                "forecast.horizon",
                "50",
                "forecast.ensemble",
                "64"));
    try (SchemaRegistry registry = cluster.schemaRegistry();
        TopicCounter counter = new TopicCounter(cluster.bootstrapServers(), topicNames);
        StreamsApp app = new StreamsApp(settings);
        LiveView view = new LiveView(cluster.bootstrapServers(), registry)) {
      publish(cluster, registry, microscope, particles);
      app.catalog()
          .onSwap(
              model ->
                  out.printf(
                      "    RELEASE  %s %s swapped in (%s)%n",
                      model.name(),
                      model.version(),
                      model.manifest().alignment() == null
                          ? "first release of the line"
                          : "aligned to "
                              + model.manifest().alignment().get("parentVersion")
                              + ", relative residual "
                              + String.format(
                                  "%.3f", model.manifest().alignment().get("relativeResidual"))));
      app.start();
      view.start();
      awaitServing(app, "microscope", "particles");
      List<TrainerService> trainers = startTrainers(cluster, budget);
      MicroscopeFeed feed =
          new MicroscopeFeed(
              "microscope-1",
              cluster.bootstrapServers(),
              registry,
              options.seed(),
              options.corruptEvery());
      ParticleFeed particleFeed =
          new ParticleFeed(
              "particles-1",
              cluster.bootstrapServers(),
              registry,
              budget.particles,
              PARTICLE_RUN_FRAMES,
              options.seed());
      long start = System.nanoTime();
      feed.start(options.framesPerSecond());
      particleFeed.start(Math.max(1, options.framesPerSecond() / 4));
      out.printf(
          "running: simulated microscope at %.1f frames/s, particle simulation at %.1f snapshots/s%s"
              + " (Ctrl-C to stop)%n",
          options.framesPerSecond(),
          Math.max(1, options.framesPerSecond() / 4),
          options.duration() == null
              ? ""
              : " for " + options.duration().toMillis() / 1000.0 + " s");
      try {
        waitPrintingLiveView(counter, view, start);
      } finally {
        trainers.forEach(TrainerService::close);
        feed.close();
        particleFeed.close();
        framesProduced = feed.produced() - feed.failures();
        snapshotsProduced = particleFeed.produced() - particleFeed.failures();
      }
      drain(counter);
      DemoSummary summary = summarize(counter);
      if (feed.failures() + particleFeed.failures() > 0) {
        out.printf(
            "warning: %d inputs could not be produced%n",
            feed.failures() + particleFeed.failures());
      }
      out.println(summary.line());
      return summary;
    }
  }

  /**
   * The trainer services beside the stream, when asked for: one per model line, the microscope's
   * Dynamics-AE from the frames, the particles' closure model from the snapshots.
   */
  private List<TrainerService> startTrainers(EmbeddedCluster cluster, DemoModels.Budget budget) {
    if (options.retrainEvery() == null) {
      return List.of();
    }
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", cluster.bootstrapServers());
    s.put("schema.registry.url", cluster.registryUrl());
    s.put("trainer.interval.s", Long.toString(Math.max(1, options.retrainEvery().toSeconds())));
    s.put("trainer.seed", Long.toString(options.seed() + 1));
    s.put("model.store", options.dataDir().resolve("model-store").toString());
    s.put("trainer.latent.dim", "2");
    Map<String, String> microscope = new HashMap<>(s);
    microscope.put("trainer.model", "microscope");
    microscope.put("trainer.source", "microscope-.*");
    microscope.put("trainer.window.frames", Integer.toString(budget.videoFrames));
    microscope.put("trainer.min.frames", "100");
    microscope.put("trainer.epochs", Integer.toString(budget.videoEpochs));
    microscope.put("trainer.batch", "64");
    Map<String, String> particles = new HashMap<>(s);
    particles.put("trainer.model", "particles");
    particles.put("trainer.method", "closure");
    particles.put("trainer.source", "particles-.*");
    particles.put("trainer.macros", StepForceParticles.ENERGY);
    particles.put("trainer.stochastic", "true"); // as the start-up model (DemoModels.particles)
    // isotropic pair forces in free space: only the shape matters, not place or orientation
    particles.put("trainer.align", "true");
    particles.put(
        "trainer.window.frames", Integer.toString(budget.trajectories * PARTICLE_RUN_FRAMES));
    particles.put("trainer.min.frames", Integer.toString(2 * PARTICLE_RUN_FRAMES));
    particles.put("trainer.epochs", Integer.toString(budget.autoencoderEpochs));
    particles.put("trainer.dynamics.epochs", Integer.toString(budget.dynamicsEpochs));
    out.printf(
        "  trainer   retrains 'microscope' (frames) and 'particles' (snapshots) every %d s from"
            + " the live feeds%n",
        options.retrainEvery().toSeconds());
    List<TrainerService> trainers = new java.util.ArrayList<>();
    for (Map<String, String> line : List.of(microscope, particles)) {
      trainers.add(
          new TrainerService(TrainerSettings.of(line))
              .onRun(
                  status ->
                      out.printf(
                          "    TRAINER  %s %s %s: %s%n",
                          status.getOutcome(),
                          status.getModelName(),
                          status.getVersion(),
                          status.getMessage()))
              .start());
    }
    return trainers;
  }

  /** Publishes the start-up releases and the demo's alert rules. */
  private void publish(
      EmbeddedCluster cluster,
      SchemaRegistry registry,
      DemoModels.Trained microscope,
      DemoModels.Trained particles) {
    Map<String, Object> configs = new HashMap<>(cluster.clientConfigs());
    configs.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, ModelRelease> releases =
            new KafkaProducer<>(
                configs,
                Topics.MODELS.keySerde().serializer(),
                Topics.MODELS.valueSerde(registry).serializer());
        KafkaProducer<String, AlertRule> rules =
            new KafkaProducer<>(
                configs,
                Topics.ALERT_RULES.keySerde().serializer(),
                Topics.ALERT_RULES.valueSerde(registry).serializer())) {
      for (DemoModels.Trained t : List.of(microscope, particles)) {
        try {
          releases
              .send(
                  new ProducerRecord<>(
                      Topics.MODELS.name(), t.release().getModelName(), t.release()))
              .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while publishing releases", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          throw new IllegalStateException(
              "cannot publish the " + t.release().getModelName() + " release: " + e.getCause(), e);
        }
      }
      for (AlertRule rule : DemoRules.of(microscope.manifest(), particles.manifest())) {
        rules.send(new ProducerRecord<>(Topics.ALERT_RULES.name(), rule.getRuleId(), rule));
        out.printf("  rule      %s: %s%n", rule.getRuleId(), rule.getDescription());
      }
    }
  }

  private void awaitServing(StreamsApp app, String... lines) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (String line : lines) {
      while (app.catalog().version(line).isEmpty() && System.nanoTime() < deadline) {
        sleep(100);
      }
      out.printf(
          "  serving   %s %s%n", line, app.catalog().version(line).orElse("(not loaded yet)"));
    }
    if (!app.awaitRunning(Duration.ofSeconds(60))) {
      out.println("warning: the pipeline is not RUNNING yet: " + app.streams().state());
    }
  }

  /** Waits until every input is accounted for (latent state or dead letter), up to 60 s. */
  private void drain(TopicCounter counter) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      sleep(200);
      long inputs = counter.count(Topics.FRAMES.name()) + counter.count(Topics.SNAPSHOTS.name());
      long accounted =
          counter.count(Topics.LATENT_STATES.name()) + counter.count(Topics.DEAD_LETTERS.name());
      if (inputs >= framesProduced + snapshotsProduced && accounted >= inputs) {
        return;
      }
    }
    out.println("warning: the pipeline did not account for every input within 60 s");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitPrintingLiveView(TopicCounter counter, LiveView view, long startNanos) {
    long deadline =
        options.duration() == null ? Long.MAX_VALUE : startNanos + options.duration().toNanos();
    while (true) {
      long now = System.nanoTime();
      long wait = Math.min(1_000_000_000L, deadline - now);
      if (wait <= 0) {
        return;
      }
      try {
        if (stopRequested.await(wait, TimeUnit.NANOSECONDS)) {
          out.println("stopping ...");
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      out.println(liveLine(counter, (System.nanoTime() - startNanos) / 1e9));
      view.forecastLines().forEach(out::println);
      view.drainAlerts().forEach(out::println);
    }
  }

  private static String liveLine(TopicCounter c, double seconds) {
    return String.format(
        "[%6.1fs] frames=%d snapshots=%d latent=%d forecasts=%d alerts=%d dead=%d releases=%d",
        seconds,
        c.count(Topics.FRAMES.name()),
        c.count(Topics.SNAPSHOTS.name()),
        c.count(Topics.LATENT_STATES.name()),
        c.count(Topics.FORECASTS.name()),
        c.count(Topics.ALERTS.name()),
        c.count(Topics.DEAD_LETTERS.name()),
        c.count(Topics.MODELS.name()));
  }

  private static DemoSummary summarize(TopicCounter c) {
    return new DemoSummary(
        c.count(Topics.FRAMES.name()) + c.count(Topics.SNAPSHOTS.name()),
        c.count(Topics.LATENT_STATES.name()),
        c.count(Topics.FORECASTS.name()),
        c.count(Topics.ALERTS.name()),
        c.count(Topics.DEAD_LETTERS.name()),
        c.count(Topics.MODELS.name()));
  }
}
