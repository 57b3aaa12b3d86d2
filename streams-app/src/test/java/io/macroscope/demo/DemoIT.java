package io.macroscope.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end on its own embedded broker and registry. */
class DemoIT {

  @Test
  void shouldRunForDurationAndEndWithSummaryLine(@TempDir Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    DemoOptions options = new DemoOptions(dir, Duration.ofSeconds(8), 25, 2, 3, true, 20, null);

    Demo demo = new Demo(options, out);
    DemoSummary summary = demo.runUntilStopped();

    String printed = bytes.toString(StandardCharsets.UTF_8);
    String lastLine = printed.strip().lines().reduce((a, b) -> b).orElse("");
    assertEquals(summary.line(), lastLine);
    assertTrue(
        lastLine.matches(
            "summary: inputs=\\d+ latent=\\d+ forecasts=\\d+ alerts=\\d+ dead_letters=\\d+"
                + " releases=\\d+"),
        lastLine);
    // Every input the feeds delivered is counted once, and accounted for downstream.
    assertTrue(demo.inputsProduced() > 0, "the feeds produced inputs");
    assertEquals(demo.inputsProduced(), summary.inputs(), lastLine);
    assertEquals(summary.inputs(), summary.latent() + summary.deadLetters(), lastLine);
    // every 20th frame was corrupted on purpose
    assertTrue(summary.deadLetters() > 0, lastLine);
    assertTrue(summary.forecasts() > 0, lastLine);
    assertEquals(2, summary.releases(), lastLine);
    assertTrue(printed.contains("frames="), "live view printed");
    assertTrue(printed.contains("particles-1"), "particle forecasts shown: " + printed);
  }

  @Test
  void shouldRunTheTrainerBesideTheStreamWhenAsked(@TempDir Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    DemoOptions options =
        new DemoOptions(dir, Duration.ofSeconds(20), 25, 1, 5, true, 0, Duration.ofSeconds(6));

    DemoSummary summary = new Demo(options, out).runUntilStopped();

    String printed = bytes.toString(StandardCharsets.UTF_8);
    // at least one trainer run ended (published or rejected on the held-out frames) ...
    assertTrue(
        printed.matches("(?s).*TRAINER  (PUBLISHED|REJECTED) microscope r\\d+-\\d+.*"), printed);
    // the closure line's trainer runs too (its first runs may find too few snapshots)
    assertTrue(printed.matches("(?s).*TRAINER  [A-Z]+ particles r\\d+-\\d+.*"), printed);
    // ... and every published one was announced and counted
    long published = printed.lines().filter(l -> l.contains("TRAINER  PUBLISHED")).count();
    assertEquals(2 + published, summary.releases(), printed);
    assertEquals(summary.inputs(), summary.latent() + summary.deadLetters());
  }
}
