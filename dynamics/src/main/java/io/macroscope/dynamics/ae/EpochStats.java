package io.macroscope.dynamics.ae;

/**
 * Metrics of one training epoch (means over its minibatches) and of the validation pairs.
 *
 * @param epoch epoch number (0 = warm-up)
 * @param reconstruction mean squared reconstruction error per frame (both frames of a pair)
 * @param slicedWasserstein mean SW distance between encoded and prior moves
 * @param priorNll mean Gaussian negative log-likelihood of encoded moves under the prior
 * @param validationReconstruction reconstruction error on the validation pairs
 * @param validationPriorNll prior NLL on the validation pairs
 * @param validationSlicedWasserstein SW on the validation pairs, binned like the training batches
 *     (NaN where it does not apply: the warm-up epoch, the beta-VAE)
 * @param validationObjective the training objective on the validation pairs (reconstruction of both
 *     frames + beta * SW; NaN where SW is): the score that picks the kept epoch
 * @param bins number of latent bins used (0 in the warm-up epoch)
 * @param rolledBackTo the epoch training went back to after this one spiked, or -1
 * @param seconds wall time of the epoch
 */
public record EpochStats(
    int epoch,
    double reconstruction,
    double slicedWasserstein,
    double priorNll,
    double validationReconstruction,
    double validationPriorNll,
    double validationSlicedWasserstein,
    double validationObjective,
    int bins,
    double seconds,
    int rolledBackTo) {

  /** These statistics, marked as rolled back to {@code epoch}. */
  public EpochStats rolledBackTo(int epoch) {
    return new EpochStats(
        this.epoch,
        reconstruction,
        slicedWasserstein,
        priorNll,
        validationReconstruction,
        validationPriorNll,
        validationSlicedWasserstein,
        validationObjective,
        bins,
        seconds,
        epoch);
  }

  /** One human-readable progress line (without the epoch number). */
  public String line() {
    return String.format(
            "rec %.4f reg %.4f prior-nll %.3f val-rec %.4f val-obj %.4f bins %d %.1fs",
            reconstruction,
            slicedWasserstein,
            priorNll,
            validationReconstruction,
            validationObjective,
            bins,
            seconds)
        + (rolledBackTo >= 0 ? " (spike: rolled back to epoch " + rolledBackTo + ")" : "");
  }
}
