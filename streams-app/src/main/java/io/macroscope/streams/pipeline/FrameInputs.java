package io.macroscope.streams.pipeline;

import io.macroscope.schemas.Frame;
import io.macroscope.schemas.FramePixels;
import io.macroscope.schemas.serde.RegistryException;
import io.macroscope.schemas.serde.RegistryUnavailableException;
import io.macroscope.streams.model.ServingModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** Frames: images of C x H x W samples (u8, u16 or f32), encoded by Dynamics-AE models. */
public final class FrameInputs implements InputKind<FrameInputs.Decoded> {

  /** A validated frame with its samples as floats, in (C, H, W) order. */
  public record Decoded(Frame frame, float[] values) {}

  private final String topic;
  private final Deserializer<Frame> deserializer;

  public FrameInputs(String topic, Deserializer<Frame> deserializer) {
    this.topic = topic;
    this.deserializer = deserializer;
  }

  @Override
  public String name() {
    return "frames";
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public Decoded decode(byte[] value) {
    Frame frame = deserialize(deserializer, topic, value);
    float[] values;
    try {
      values = FramePixels.values(frame);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
    if (frame.getSequence() < 0) {
      throw new InvalidInputException("frame sequence " + frame.getSequence() + " is negative");
    }
    return new Decoded(frame, values);
  }

  @Override
  public String sourceId(Decoded input) {
    return input.frame().getSourceId();
  }

  @Override
  public long sequence(Decoded input) {
    return input.frame().getSequence();
  }

  @Override
  public Instant captureTime(Decoded input) {
    return input.frame().getCaptureTime();
  }

  @Override
  public Map<String, Double> macros(Decoded input) {
    return Map.of();
  }

  @Override
  public String problem(ServingModel model, Decoded input) {
    Frame f = input.frame();
    return model.frameShapeProblem(f.getChannels(), f.getHeight(), f.getWidth());
  }

  @Override
  public float[] encode(ServingModel model, List<Decoded> inputs) {
    int f = inputs.get(0).values().length;
    float[] batch = new float[inputs.size() * f];
    for (int i = 0; i < inputs.size(); i++) {
      System.arraycopy(inputs.get(i).values(), 0, batch, i * f, f);
    }
    return model.encodeFrames(batch, inputs.size());
  }

  /**
   * Deserializes with the registry; a record that is not valid Avro of a known schema is invalid
   * input, but an unreachable registry is not the record's fault and is rethrown.
   */
  static <V> V deserialize(Deserializer<V> deserializer, String topic, byte[] value) {
    if (value == null) {
      throw new InvalidInputException("record has no value (null)");
    }
    try {
      V decoded = deserializer.deserialize(topic, value);
      if (decoded == null) {
        throw new InvalidInputException("record value deserialized to null");
      }
      return decoded;
    } catch (RegistryUnavailableException | RegistryException e) {
      throw e; // the registry's trouble, not the record's: retried by the stream thread
    } catch (SerializationException | AvroRuntimeException | ClassCastException e) {
      throw new InvalidInputException("cannot deserialize: " + e.getMessage(), e);
    }
  }
}
