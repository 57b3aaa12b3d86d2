package io.macroscope.demo;

/** Record counts of a demo run, printed as the run's last line. */
public record DemoSummary(
    long inputs, long latent, long forecasts, long alerts, long deadLetters, long releases) {

  /** {@code summary: inputs=N latent=L forecasts=F alerts=A dead_letters=D releases=R} */
  public String line() {
    return String.format(
        "summary: inputs=%d latent=%d forecasts=%d alerts=%d dead_letters=%d releases=%d",
        inputs, latent, forecasts, alerts, deadLetters, releases);
  }
}
