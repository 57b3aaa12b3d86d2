package io.macroscope.streams.pipeline;

import io.macroscope.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the dead-letter record of an input that could not be processed. */
public final class DeadLetters {

  private DeadLetters() {}

  /** Processing stages named in dead letters. */
  public static final String VALIDATE = "validate";

  public static final String ENCODE = "encode";
  public static final String FORECAST = "forecast";
  public static final String MODEL_LOAD = "model-load";
  public static final String DESERIALIZE = "deserialize";
  public static final String PRODUCE = "produce";
  public static final String PROCESS = "process";

  /** A dead letter for {@code input}, which failed at {@code stage} for {@code reason}. */
  public static DeadLetter of(
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      String stage,
      Throwable error,
      String reason,
      String application) {
    return DeadLetter.newBuilder()
        .setSourceTopic(topic == null ? "" : topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
        .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
        .setStage(stage)
        .setErrorClass(
            error == null ? InvalidInputException.class.getName() : error.getClass().getName())
        .setReason(oneLine(reason))
        .setTime(Instant.now())
        .setApplication(application == null ? "" : application)
        .build();
  }

  /** A dead letter for a pending input. */
  public static DeadLetter of(
      PendingInput input, String stage, Throwable error, String application) {
    return of(
        input.topic(),
        input.partition(),
        input.offset(),
        input.key(),
        input.value(),
        stage,
        error,
        error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage(),
        application);
  }

  /** The first line of {@code text}, at most 1000 characters. */
  static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 1000 ? line.substring(0, 1000) + " ..." : line;
  }
}
