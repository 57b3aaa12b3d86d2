package io.macroscope.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Confluent-API schema registry (Apicurio Registry, in-memory storage) started as a child
 * process on 127.0.0.1 from the runner jar the {@code registry} module builds. Its Confluent API is
 * at {@link #url()}. Closing it ends that child process (and only it).
 */
public final class EmbeddedRegistry implements AutoCloseable {

  /** System property naming the runner jar. */
  public static final String JAR_PROPERTY = "macroscope.registry.jar";

  /** Environment variable naming the runner jar (used when the property is not set). */
  public static final String JAR_ENV = "MACROSCOPE_REGISTRY_JAR";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);
  private static final String API_PATH = "/apis/ccompat/v6";

  private final Process process;
  private final String url;
  private final Duration startupTime;
  private final Thread shutdownHook;

  private EmbeddedRegistry(Process process, String url, Duration startupTime) {
    this.process = process;
    this.url = url;
    this.startupTime = startupTime;
    this.shutdownHook = new Thread(process::destroy, "embedded-registry-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts the registry from {@link #locateJar()} and returns once its API answers.
   *
   * @param logFile where the registry's output goes
   */
  public static EmbeddedRegistry start(Path logFile) {
    return start(locateJar(), logFile);
  }

  /** Starts the registry from {@code runnerJar} and returns once its API answers. */
  public static EmbeddedRegistry start(Path runnerJar, Path logFile) {
    long begin = System.nanoTime();
    int port = Ports.freeLoopbackPort();
    List<String> command = new ArrayList<>();
    // In its own session, a terminal's Ctrl-C reaches only our JVM, which then stops the registry
    // in order (close()); without setsid the registry would die first, under a running stream.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            "-jar",
            runnerJar.toString()));
    Process process;
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
    } catch (IOException e) {
      throw new EmbeddedStartException("cannot start the schema registry: " + e.getMessage(), e);
    }
    String url = "http://127.0.0.1:" + port + API_PATH;
    try {
      awaitReady(process, url, Duration.ofSeconds(90), logFile);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    LOG.info("embedded schema registry at {} ready in {} ms", url, took.toMillis());
    return new EmbeddedRegistry(process, url, took);
  }

  /**
   * Finds the runner jar: the {@value #JAR_PROPERTY} property, else {@value #JAR_ENV}, else {@code
   * registry/target/*-runner.jar} in the working directory or one of its parents.
   */
  public static Path locateJar() {
    Optional<String> configured =
        Optional.ofNullable(System.getProperty(JAR_PROPERTY))
            .or(() -> Optional.ofNullable(System.getenv(JAR_ENV)));
    if (configured.isPresent()) {
      Path jar = Path.of(configured.get());
      if (!Files.isRegularFile(jar)) {
        throw new EmbeddedStartException(
            "schema registry jar "
                + jar
                + " does not exist: build it with `mvn -B -pl registry package`");
      }
      return jar;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path target = dir.resolve("registry").resolve("target");
      if (Files.isDirectory(target)) {
        try (Stream<Path> files = Files.list(target)) {
          Optional<Path> jar =
              files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst();
          if (jar.isPresent()) {
            return jar.get();
          }
        } catch (IOException e) {
          // keep looking further up
        }
      }
    }
    throw new EmbeddedStartException(
        "no schema registry runner jar found: build it with `mvn -B -pl registry package` or set -D"
            + JAR_PROPERTY
            + "=PATH");
  }

  private static void awaitReady(Process process, String url, Duration timeout, Path logFile) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(url + "/subjects"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new EmbeddedStartException(
            "schema registry exited with code " + process.exitValue() + "; see " + logFile);
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedStartException("interrupted while waiting for the registry", e);
      }
      sleep(100);
    }
    throw new EmbeddedStartException(
        "schema registry did not answer within " + timeout + "; see " + logFile);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedStartException("interrupted", e);
    }
  }

  /** Base URL of the Confluent-compatible API, for {@code schema.registry.url}. */
  public String url() {
    return url;
  }

  /** How long the registry took to answer after launch. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Process id of the registry child process. */
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway and is harmless
    }
  }
}
