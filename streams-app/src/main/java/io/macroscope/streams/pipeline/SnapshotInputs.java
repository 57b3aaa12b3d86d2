package io.macroscope.streams.pipeline;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.schemas.ParticleSnapshot;
import io.macroscope.streams.model.ServingModel;
import io.macroscope.trainer.SnapshotFrames;
import io.macroscope.trainer.SnapshotFrames.Decoded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/** Particle snapshots: unordered sets of N particles, encoded by closure models. */
public final class SnapshotInputs implements InputKind<Decoded> {

  private final String topic;
  private final Deserializer<ParticleSnapshot> deserializer;

  public SnapshotInputs(String topic, Deserializer<ParticleSnapshot> deserializer) {
    this.topic = topic;
    this.deserializer = deserializer;
  }

  @Override
  public String name() {
    return "snapshots";
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public Decoded decode(byte[] value) {
    ParticleSnapshot s = FrameInputs.deserialize(deserializer, topic, value);
    try {
      return SnapshotFrames.decode(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
  }

  @Override
  public String sourceId(Decoded input) {
    return input.snapshot().getSourceId();
  }

  @Override
  public long sequence(Decoded input) {
    return input.snapshot().getSequence();
  }

  @Override
  public Instant captureTime(Decoded input) {
    return input.snapshot().getCaptureTime();
  }

  @Override
  public Map<String, Double> macros(Decoded input) {
    return input.snapshot().getMacros();
  }

  @Override
  public String problem(ServingModel model, Decoded input) {
    List<String> labels = model.speciesLabels();
    if (input.species() != null && !labels.isEmpty()) {
      for (int sp : input.species()) {
        if (sp >= labels.size()) {
          return "species index " + sp + " but model " + model.version() + " knows " + labels;
        }
      }
    }
    return model.snapshotProblem(input.toFrame(labels));
  }

  @Override
  public float[] encode(ServingModel model, List<Decoded> inputs) {
    List<ParticleFrame> frames = new ArrayList<>(inputs.size());
    for (Decoded input : inputs) {
      frames.add(input.toFrame(model.speciesLabels()));
    }
    return model.encodeSnapshots(frames);
  }
}
