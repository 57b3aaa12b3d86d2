package io.macroscope.streams.pipeline;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.schemas.ParticleSnapshot;
import io.macroscope.streams.model.ServingModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/** Particle snapshots: unordered sets of N particles, encoded by closure models. */
public final class SnapshotInputs implements InputKind<SnapshotInputs.Decoded> {

  /**
   * A validated snapshot.
   *
   * @param positions N x D positions
   * @param species species index per particle, or null
   * @param features extra per-particle columns by name
   */
  public record Decoded(
      ParticleSnapshot snapshot, float[] positions, int[] species, Map<String, float[]> features) {

    /** As a particle frame, species indices naming the model's labels. */
    ParticleFrame toFrame(List<String> labels) {
      String[] names = null;
      if (species != null && !labels.isEmpty()) {
        names = new String[species.length];
        for (int i = 0; i < species.length; i++) {
          names[i] = labels.get(species[i]);
        }
      }
      Map<String, String> info = new LinkedHashMap<>();
      snapshot.getMacros().forEach((k, v) -> info.put(k, Double.toString(v)));
      return new ParticleFrame(
          snapshot.getParticleCount(), snapshot.getSpatialDim(), positions, names, features, info);
    }
  }

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
    int n = s.getParticleCount();
    int d = s.getSpatialDim();
    if (d != 2 && d != 3) {
      throw new InvalidInputException("spatialDim must be 2 or 3, got " + d);
    }
    if (n < 1) {
      throw new InvalidInputException("snapshot has " + n + " particles; at least 1 is needed");
    }
    if (s.getSequence() < 0) {
      throw new InvalidInputException("snapshot sequence " + s.getSequence() + " is negative");
    }
    float[] positions =
        floats(s.getPositions(), (long) n * d, "positions", "(N,D)=(" + n + "," + d + ")");
    int[] species = null;
    if (s.getSpecies() != null) {
      if (s.getSpecies().size() != n) {
        throw new InvalidInputException(
            "species has " + s.getSpecies().size() + " entries for " + n + " particles");
      }
      species = new int[n];
      for (int i = 0; i < n; i++) {
        species[i] = s.getSpecies().get(i);
        if (species[i] < 0) {
          throw new InvalidInputException("species index " + species[i] + " is negative");
        }
      }
    }
    Map<String, float[]> features = new LinkedHashMap<>();
    List<String> names = s.getFeatureNames();
    if (!names.isEmpty() || s.getFeatures() != null) {
      if (s.getFeatures() == null) {
        throw new InvalidInputException("featureNames " + names + " given but no features");
      }
      int f = names.size();
      float[] all =
          floats(s.getFeatures(), (long) n * f, "features", "(N,F)=(" + n + "," + f + ")");
      for (int j = 0; j < f; j++) {
        float[] column = new float[n];
        for (int i = 0; i < n; i++) {
          column[i] = all[i * f + j];
        }
        features.put(names.get(j), column);
      }
    }
    for (var macro : s.getMacros().entrySet()) {
      if (!Double.isFinite(macro.getValue())) {
        throw new InvalidInputException("macro " + macro.getKey() + " is " + macro.getValue());
      }
    }
    return new Decoded(s, positions, species, features);
  }

  private static float[] floats(ByteBuffer bytes, long count, String field, String shape) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (count > Integer.MAX_VALUE / 4 || b.remaining() != count * 4) {
      throw new InvalidInputException(
          field
              + " hold "
              + b.remaining()
              + " bytes, but "
              + shape
              + " float32 needs "
              + count * 4);
    }
    float[] out = new float[(int) count];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
      if (!Float.isFinite(out[i])) {
        throw new InvalidInputException(
            field + " value " + i + " is " + out[i] + " (NaN or infinite)");
      }
    }
    return out;
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
