package io.macroscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MacroscopeCliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldListDemoInTopLevelHelp() {
    assertEquals(0, Macroscope.run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("demo"));
  }

  @Test
  void shouldDescribeSummaryLineInDemoHelp() {
    assertEquals(0, Macroscope.run("demo", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--duration"));
    assertTrue(help.contains("summary: inputs=N"));
  }

  @Test
  void shouldPrintEveryCommandsHelpWithoutWarnings() {
    List<String[]> paths = new ArrayList<>();
    collect(Macroscope.commandLine(), new ArrayList<>(), paths);
    assertTrue(paths.size() > 10, "commands found: " + paths.size());
    for (String[] path : paths) {
      out.reset();
      err.reset();
      String[] args = Arrays.copyOf(path, path.length + 1);
      args[path.length] = "--help";
      assertEquals(0, Macroscope.run(args), String.join(" ", path));
      // picocli reports a description it cannot format (e.g. a bare '%') on stderr
      assertEquals("", stderr(), String.join(" ", path));
      String help = out.toString(StandardCharsets.UTF_8);
      assertTrue(help.contains("Usage: macroscope"), String.join(" ", path) + ": " + help);
    }
  }

  private static void collect(CommandLine command, List<String> path, List<String[]> paths) {
    paths.add(path.toArray(String[]::new));
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              if (sub.getCommandName().equals(name)) { // aliases would repeat a command
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, paths);
              }
            });
  }

  @Test
  void shouldRejectUnknownOptionWithOneLineAndExitCode2() {
    assertEquals(2, Macroscope.run("demo", "--frobnicate"));
    assertEquals(1, stderr().strip().lines().count(), stderr());
    assertTrue(stderr().contains("Unknown option: '--frobnicate'"), stderr());
  }

  @Test
  void shouldRejectNonPositiveDurationWithoutStackTrace() {
    assertEquals(2, Macroscope.run("demo", "--duration", "0"));
    assertTrue(stderr().contains("--duration must be positive"), stderr());
    assertFalse(stderr().contains("\tat "), "no stack trace: " + stderr());
  }

  @Test
  void shouldRefuseToAverageASingleDynamicsFitBeforeReadingData(@TempDir Path dir) {
    int code =
        Macroscope.run(
            "train",
            "closure",
            "--input",
            dir.toString(),
            "--macro",
            "energy",
            "--dynamics-restarts",
            "1",
            "--dynamics-average",
            "--out",
            dir.resolve("b").toString());
    assertTrue(code != 0);
    assertTrue(stderr().contains("--dynamics-restarts"), stderr());
    assertFalse(stderr().contains("\tat "), "no stack trace: " + stderr());
  }

  @Test
  void shouldAverageFourDynamicsFitsByDefaultAndOneFitOnRequest() {
    var byDefault = closureConfig();
    assertEquals(4, byDefault.dynamicsRestarts());
    assertTrue(byDefault.dynamicsAverage(), "four fits are averaged unless asked otherwise");
    var single = closureConfig("--dynamics-restarts", "1");
    assertEquals(1, single.dynamicsRestarts());
    assertFalse(single.dynamicsAverage(), "one fit has nothing to average");
    var best = closureConfig("--no-dynamics-average");
    assertEquals(4, best.dynamicsRestarts());
    assertFalse(best.dynamicsAverage(), "--no-dynamics-average keeps the best fit");
    assertTrue(closureConfig("--dynamics-restarts", "3", "--dynamics-average").dynamicsAverage());
  }

  @Test
  void shouldPassKernelDensitySamplesToTheClosureTrainer() {
    assertEquals(512, closureConfig("--samples", "512").samplesPerSet());
    assertEquals(128, closureConfigFor(40).samplesPerSet(), "40 particles: 128 samples");
    assertEquals(256, closureConfigFor(129).samplesPerSet(), "about one per particle");
    assertEquals(512, closureConfigFor(300).samplesPerSet(), "300 particles: 512 samples");
    assertEquals(512, closureConfigFor(600).samplesPerSet(), "capped at 512");
    assertEquals(128, closureConfigFor(300, "--samples", "128").samplesPerSet(), "as told");
  }

  /**
   * The settings {@code train closure} would train with on trajectories (two, one frame each) of
   * this many particles, given these options.
   */
  private static io.macroscope.dynamics.closure.ClosureConfig closureConfigFor(
      int particles, String... options) {
    var command = closureCommand(options);
    var frame =
        io.macroscope.dynamics.particles.ParticleFrame.of(
            particles, 2, new float[particles * 2], java.util.Map.of());
    return command.withSamplesFor(command.config(), List.of(List.of(frame), List.of(frame)));
  }

  /** The settings {@code train closure} would train with, given these options. */
  private static io.macroscope.dynamics.closure.ClosureConfig closureConfig(String... options) {
    return closureCommand(options).config();
  }

  /** {@code train closure} with these options parsed. */
  private static TrainCommand.Closure closureCommand(String... options) {
    var command = new TrainCommand.Closure();
    List<String> args = new ArrayList<>(List.of("--input", "in", "--macro", "energy"));
    args.addAll(List.of("--out", "b"));
    args.addAll(Arrays.asList(options));
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command;
  }

  @Test
  void shouldRejectMalformedNumberWithOneLine() {
    assertEquals(2, Macroscope.run("demo", "--rate", "fast"));
    assertEquals(1, stderr().strip().lines().count(), stderr());
  }

  @Test
  void shouldRejectUnknownCommand() {
    assertEquals(2, Macroscope.run("teleport"));
    assertTrue(stderr().contains("teleport"), stderr());
  }

  @Test
  void shouldRejectStreamsConfigWithUnknownKeyInOneLine(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("streams.properties");
    java.nio.file.Files.writeString(
        file,
        "bootstrap.servers=127.0.0.1:9\nschema.registry.url=http://127.0.0.1:9\nencode.max.bach=8\n");
    assertEquals(2, Macroscope.run("streams", "--config", file.toString()), "a usage error");
    assertEquals(1, stderr().strip().lines().count(), stderr());
    assertTrue(stderr().contains("encode.max.bach"), stderr());
    assertFalse(stderr().contains("\tat "), "no stack trace: " + stderr());
  }

  @Test
  void shouldPrintEffectiveStreamsConfigWithDefaultsAndOverrides() {
    assertEquals(
        0,
        Macroscope.run(
            "streams",
            "--set",
            "bootstrap.servers=127.0.0.1:9",
            "--set",
            "schema.registry.url=http://127.0.0.1:9",
            "--set",
            "forecast.ensemble=128",
            "--print-config"));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("forecast.ensemble=128"), printed);
    assertTrue(printed.contains("encode.max.batch=32"), printed);
  }

  @Test
  void shouldPrintEffectiveTrainerConfigAndRefuseAnUnknownMethod() {
    assertEquals(0, printTrainerConfig("closure"));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("trainer.method=closure"), printed);
    assertTrue(printed.contains("trainer.encoder=deepset"), printed);
    assertEquals(2, printTrainerConfig("gan"));
    assertTrue(stderr().contains("trainer.method must be one of"), stderr());
    assertEquals(1, stderr().strip().lines().count(), stderr());
  }

  private static int printTrainerConfig(String method) {
    return Macroscope.run(
        "trainer",
        "--set",
        "bootstrap.servers=127.0.0.1:9",
        "--set",
        "schema.registry.url=http://127.0.0.1:9",
        "--set",
        "trainer.method=" + method,
        "--print-config");
  }

  @Test
  void shouldRejectFeedOfMissingFileWithExitCode2() {
    assertEquals(
        2,
        Macroscope.run(
            "feed", "--input", "/no/such/run.xyz", "--bootstrap", "x:1", "--registry", "http://x"));
    assertTrue(stderr().contains("no such file: /no/such/run.xyz"), stderr());
    assertEquals(1, stderr().strip().lines().count(), stderr());
  }
}
