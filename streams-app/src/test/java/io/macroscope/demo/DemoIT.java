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
    DemoOptions options = new DemoOptions(dir, Duration.ofSeconds(4), 25, 2, 3);

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
    // Every frame the feed delivered is counted exactly once.
    assertTrue(demo.framesProduced() > 0, "the feed produced frames");
    assertEquals(demo.framesProduced(), summary.inputs(), lastLine);
    assertEquals(0, summary.deadLetters());
    assertTrue(printed.contains("frames="), "live view printed");
  }
}
