package io.macroscope.streams.pipeline;

import io.macroscope.streams.model.ServingModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the encode stage needs to know about one kind of input (frames, particle snapshots): how to
 * decode and validate its bytes, and how a model encodes a batch of it.
 *
 * @param <T> the decoded input
 */
public interface InputKind<T> {

  /** Short name used in node and store names ({@code frames}, {@code snapshots}). */
  String name();

  /** Topic the inputs are read from. */
  String topic();

  /**
   * Decodes and validates one record value.
   *
   * @throws InvalidInputException with the reason when the bytes are not a valid input
   */
  T decode(byte[] value);

  String sourceId(T input);

  long sequence(T input);

  Instant captureTime(T input);

  /** Measured macro observables carried by the input (copied into the latent state). */
  Map<String, Double> macros(T input);

  /** Why {@code model} cannot encode {@code input}, or null if it can. */
  String problem(ServingModel model, T input);

  /** Latent rows (n x d) of a batch the model accepts. */
  float[] encode(ServingModel model, List<T> inputs);
}
