package io.macroscope.demo;

import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.schemas.TopicSpec;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The whole system on one machine: embedded broker and registry, the topic catalogue, the simulated
 * feeds and every pipeline stage that exists, a live view once a second, and the summary line.
 *
 * <p>Pipeline stages so far: the simulated microscope feed. Encode, forecast, alert and the trainer
 * join here as they land; the summary counts their topics already (zero until then).
 */
public final class Demo {

  private final DemoOptions options;
  private final PrintStream out;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile long framesProduced;

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

  /** Frames the simulated microscope delivered to Kafka in the last run. */
  public long framesProduced() {
    return framesProduced;
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
    List<String> topicNames = Topics.ALL.stream().map(TopicSpec::name).toList();
    try (SchemaRegistry registry = cluster.schemaRegistry();
        TopicCounter counter = new TopicCounter(cluster.bootstrapServers(), topicNames)) {
      MicroscopeFeed feed =
          new MicroscopeFeed("microscope-1", cluster.bootstrapServers(), registry, options.seed());
      long start = System.nanoTime();
      feed.start(options.framesPerSecond());
      out.printf(
          "running: simulated microscope at %.1f frames/s%s (Ctrl-C to stop)%n",
          options.framesPerSecond(),
          options.duration() == null
              ? ""
              : " for " + options.duration().toMillis() / 1000.0 + " s");
      try {
        waitPrintingLiveView(counter, start);
      } finally {
        feed.close();
        framesProduced = feed.produced() - feed.failures();
      }
      counter.drain(endOffsets(cluster, counter.partitions()), Duration.ofSeconds(30));
      DemoSummary summary = summarize(counter);
      if (feed.failures() > 0) {
        out.printf("warning: %d frames could not be produced%n", feed.failures());
      }
      out.println(summary.line());
      return summary;
    }
  }

  private void waitPrintingLiveView(TopicCounter counter, long startNanos) {
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

  private static Map<TopicPartition, Long> endOffsets(
      EmbeddedCluster cluster, List<TopicPartition> partitions) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(p -> request.put(p, OffsetSpec.latest()));
    try (Admin admin = cluster.kafka().admin()) {
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((p, info) -> ends.put(p, info.offset()));
      return ends;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read end offsets for the summary: " + e, e);
    }
  }
}
