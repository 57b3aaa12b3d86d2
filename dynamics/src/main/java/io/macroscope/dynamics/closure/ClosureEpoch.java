package io.macroscope.dynamics.closure;

/**
 * Metrics of one epoch of closure training.
 *
 * @param stage {@code autoencoder} (reconstruction, or the joint loss of InvE), {@code joint} (the
 *     closure model's optional fine-tune, reconstruction + lambda x dynamics), {@code dynamics}, or
 *     {@code average} (one record after several dynamics fits were averaged: loss = the fits' mean
 *     validation score, validationLoss = the average's)
 * @param epoch epoch within the stage
 * @param loss mean training loss
 * @param validationLoss loss on the validation trajectories (fixed noise)
 * @param seconds wall time
 * @param skippedSteps optimizer steps skipped because a gradient was not finite
 */
public record ClosureEpoch(
    String stage, int epoch, double loss, double validationLoss, double seconds, int skippedSteps) {

  /** One progress line. */
  public String line() {
    return String.format(
            "%-11s epoch %3d  loss %.4f  val %.4f  %.1fs",
            stage, epoch, loss, validationLoss, seconds)
        + skipNote();
  }

  /** " (N steps skipped: non-finite gradients)", or empty when none was. */
  public String skipNote() {
    return skippedSteps > 0 ? "  (" + skippedSteps + " steps skipped: non-finite gradients)" : "";
  }
}
