package io.macroscope.cli;

import io.macroscope.schemas.TrainerOutcome;
import io.macroscope.schemas.TrainerStatus;
import io.macroscope.trainer.TrainerService;
import io.macroscope.trainer.TrainerSettings;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope trainer}: the periodic retraining service, separate from the streams-app. */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description = {
      "Retrains one model line on a schedule and on request (the trainer-control topic): a"
          + " Dynamics-AE from the frames topic (trainer.method=dynamics-ae) or a closure model"
          + " from snapshot trajectories (trainer.method=closure), or from files (trainer.input)."
          + " A candidate is published only when it beats the serving release on held-out recent"
          + " data by trainer.margin, aligned to the serving latent space; every run's outcome"
          + " goes to the trainer-status topic.",
      "Settings: --config FILE, MACROSCOPE_<KEY> environment, --set key=value (see the README).",
      "--once: one run now, then exit (exit code 0 published, 3 rejected, 1 failed)."
    })
final class TrainerCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "properties file")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--once", description = "run once now and exit")
  boolean once;

  @Option(names = "--print-config", description = "print the effective settings and exit")
  boolean printConfig;

  @Override
  public Integer call() throws Exception {
    if (config != null && !Files.isRegularFile(config)) {
      throw new NoSuchFileException(config.toString());
    }
    TrainerSettings settings = TrainerSettings.load(config, System.getenv(), overrides);
    if (printConfig) {
      settings.describe().forEach((k, v) -> System.out.println(k + "=" + v));
      return 0;
    }
    if (once) {
      try (TrainerService service = new TrainerService(settings)) {
        TrainerStatus status = service.runOnce("--once");
        System.out.printf(
            "%s %s: %s %s%n",
            status.getOutcome(), status.getVersion(), status.getMessage(), status.getMetrics());
        return status.getOutcome() == TrainerOutcome.PUBLISHED
            ? 0
            : status.getOutcome() == TrainerOutcome.REJECTED ? 3 : 1;
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    TrainerService service = new TrainerService(settings).start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "trainer-shutdown"));
    System.out.printf(
        "macroscope trainer: model line '%s' (%s), every %s s and on request; Ctrl-C to stop%n",
        settings.get("trainer.model"),
        settings.get("trainer.method"),
        settings.get("trainer.interval.s"));
    stopped.await();
    return 0;
  }
}
