package io.macroscope.cli;

import io.macroscope.demo.Demo;
import io.macroscope.demo.DemoOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope demo}: the whole system on an in-process Kafka and schema registry. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Macroscope end to end on this machine: starts an in-process Kafka broker (KRaft) and a"
          + " schema registry on 127.0.0.1, creates the topics, trains a Dynamics-AE for a simulated"
          + " microscope and a closure model for a simulated particle system (small budget),"
          + " publishes them as releases, runs the live pipeline (encode, forecast, alert) on both"
          + " feeds, prints a live view, and ends with a summary line in which"
          + " inputs = latent + dead_letters:",
      "  summary: inputs=N latent=L forecasts=F alerts=A dead_letters=D releases=R",
      "Stops after --duration seconds or on Ctrl-C."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Stop after this many seconds (default: run until Ctrl-C).")
  Double durationSeconds;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:MACROSCOPE_DATA_DIR:-macroscope-data}",
      description = "Where broker data, registry log and state go (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--rate",
      paramLabel = "FPS",
      defaultValue = "20",
      description = "Frames per second of the simulated microscope (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "2",
      description = "Partitions of the feed and output topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the simulated feeds (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--quick",
      description = "Train the start-up models with a test-sized budget (seconds, rougher models).")
  boolean quick;

  @Option(
      names = "--corrupt-every",
      paramLabel = "N",
      defaultValue = "200",
      description =
          "Corrupt every N-th microscope frame on purpose to show the dead-letter path; 0: never"
              + " (default: ${DEFAULT-VALUE}).")
  int corruptEvery;

  @Option(
      names = "--retrain-every",
      paramLabel = "SECONDS",
      description =
          "Run the trainer service beside the stream: retrain the microscope model from the live"
              + " feed this often and hot-swap releases that beat the serving one.")
  Double retrainSeconds;

  @Override
  public Integer call() {
    if (durationSeconds != null && !(durationSeconds > 0)) {
      throw new IllegalArgumentException("--duration must be positive, got " + durationSeconds);
    }
    if (!(rate > 0) || rate > 10_000) {
      throw new IllegalArgumentException("--rate must be in (0, 10000], got " + rate);
    }
    if (partitions < 1 || partitions > 64) {
      throw new IllegalArgumentException("--partitions must be in 1..64, got " + partitions);
    }
    Duration duration =
        durationSeconds == null ? null : Duration.ofMillis(Math.round(durationSeconds * 1000));
    if (corruptEvery < 0) {
      throw new IllegalArgumentException("--corrupt-every must be >= 0, got " + corruptEvery);
    }
    if (retrainSeconds != null && !(retrainSeconds >= 5)) {
      throw new IllegalArgumentException(
          "--retrain-every must be at least 5 s, got " + retrainSeconds);
    }
    Duration retrain =
        retrainSeconds == null ? null : Duration.ofMillis(Math.round(retrainSeconds * 1000));
    DemoOptions options =
        new DemoOptions(dataDir, duration, rate, partitions, seed, quick, corruptEvery, retrain);
    new Demo(options, System.out).runUntilStopped();
    return 0;
  }
}
