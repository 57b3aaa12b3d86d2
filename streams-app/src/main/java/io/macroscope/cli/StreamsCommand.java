package io.macroscope.cli;

import io.macroscope.streams.StreamsApp;
import io.macroscope.streams.StreamsSettings;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope streams}: the live pipeline against a cluster, until stopped. */
@Command(
    name = "streams",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the live pipeline (encode, forecast, alert, model hot swap) against a Kafka cluster.",
      "Settings: the --config properties file, then environment variables MACROSCOPE_<KEY> "
          + "(encode.max.batch -> MACROSCOPE_ENCODE_MAX_BATCH), then --set key=value.",
      "Required: bootstrap.servers, schema.registry.url. kafka.* keys go to the Kafka clients "
          + "(security.protocol, sasl.*, ssl.*); see the README for every key.",
      "Stops cleanly on Ctrl-C / SIGTERM."
    })
final class StreamsCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "properties file")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "override one setting (repeatable)")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--print-config", description = "print the effective settings and exit")
  boolean printConfig;

  @Override
  public Integer call() throws Exception {
    if (config != null && !Files.isRegularFile(config)) {
      throw new NoSuchFileException(config.toString());
    }
    StreamsSettings settings = StreamsSettings.load(config, System.getenv(), overrides);
    if (printConfig) {
      settings.describe().forEach((k, v) -> System.out.println(k + "=" + v));
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    StreamsApp app = new StreamsApp(settings).start();
    Thread hook =
        new Thread(
            () -> {
              app.close();
              stopped.countDown();
            },
            "streams-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.printf(
        "macroscope streams: %s on %s, registry %s; models '%s' (frames), '%s' (snapshots)%s%n",
        settings.get("application.id"),
        settings.get("bootstrap.servers"),
        settings.get("schema.registry.url"),
        settings.get("model.frames"),
        settings.get("model.snapshots"),
        app.metricsPort() >= 0
            ? "; metrics http://"
                + settings.get("metrics.host")
                + ":"
                + app.metricsPort()
                + "/metrics"
            : "");
    if (app.awaitRunning(Duration.ofMinutes(2))) {
      System.out.println("pipeline RUNNING");
    } else {
      System.out.println(
          "warning: the pipeline is not RUNNING yet (state " + app.streams().state() + ")");
    }
    System.out.flush();
    stopped.await();
    return 0;
  }
}
