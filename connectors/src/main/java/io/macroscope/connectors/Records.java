package io.macroscope.connectors;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.schemas.DeadLetter;
import io.macroscope.schemas.Frame;
import io.macroscope.schemas.ParticleSnapshot;
import io.macroscope.schemas.PixelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversions from what instruments and simulations write to the records Macroscope reads, shared
 * by the Connect sources and {@code macroscope feed}.
 */
public final class Records {

  private Records() {}

  /**
   * A particle frame as a snapshot.
   *
   * @param speciesLabels species labels in index order (the serving model's order); a frame with
   *     species needs every label listed
   * @throws IllegalArgumentException for a species label not in {@code speciesLabels}
   */
  public static ParticleSnapshot snapshot(
      ParticleFrame frame, String sourceId, long sequence, List<String> speciesLabels) {
    ByteBuffer positions =
        ByteBuffer.allocate(4 * frame.positions().length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : frame.positions()) {
      positions.putFloat(v);
    }
    positions.flip();
    List<Integer> species = null;
    if (frame.species() != null) {
      if (speciesLabels.isEmpty()) {
        throw new IllegalArgumentException(
            "the frame has species " + frame.speciesLabels() + ": list them in species.labels");
      }
      species = new ArrayList<>(frame.n());
      for (String label : frame.species()) {
        int index = speciesLabels.indexOf(label);
        if (index < 0) {
          throw new IllegalArgumentException(
              "species '" + label + "' is not in species.labels " + speciesLabels);
        }
        species.add(index);
      }
    }
    List<String> featureNames = new ArrayList<>(frame.columns().keySet());
    ByteBuffer features = null;
    if (!featureNames.isEmpty()) {
      features =
          ByteBuffer.allocate(4 * frame.n() * featureNames.size()).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < frame.n(); i++) {
        for (String name : featureNames) {
          features.putFloat(frame.columns().get(name)[i]);
        }
      }
      features.flip();
    }
    Map<String, Double> macros = new LinkedHashMap<>();
    double time = sequence;
    for (var entry : frame.info().entrySet()) {
      try {
        double v = Double.parseDouble(entry.getValue());
        if (entry.getKey().equals("time")) {
          time = v;
        } else if (Double.isFinite(v)) {
          macros.put(entry.getKey(), v);
        }
      } catch (NumberFormatException notANumber) {
        // text annotations (e.g. units) are not macro observables
      }
    }
    return ParticleSnapshot.newBuilder()
        .setSourceId(sourceId)
        .setSequence(sequence)
        .setSimulationTime(time)
        .setCaptureTime(Instant.now())
        .setSpatialDim(frame.dim())
        .setParticleCount(frame.n())
        .setPositions(positions)
        .setSpecies(species)
        .setFeatureNames(featureNames)
        .setFeatures(features)
        .setMacros(macros)
        .build();
  }

  /**
   * One grayscale image (H x W values, row-major) as a frame: u16 when every value is an integer in
   * [0, 65535] (8- and 16-bit images), f32 otherwise.
   */
  public static Frame frame(
      float[] values,
      int height,
      int width,
      String sourceId,
      long sequence,
      Map<String, String> metadata) {
    boolean integral = true;
    for (float v : values) {
      if (v != Math.rint(v) || v < 0 || v > 65535) {
        integral = false;
        break;
      }
    }
    ByteBuffer pixels =
        ByteBuffer.allocate(values.length * (integral ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      if (integral) {
        pixels.putShort((short) (int) v);
      } else {
        pixels.putFloat(v);
      }
    }
    pixels.flip();
    return Frame.newBuilder()
        .setSourceId(sourceId)
        .setSequence(sequence)
        .setCaptureTime(Instant.now())
        .setWidth(width)
        .setHeight(height)
        .setChannels(1)
        .setPixelType(integral ? PixelType.U16 : PixelType.F32)
        .setPixels(pixels)
        .setMetadata(metadata)
        .build();
  }

  /** A dead letter for input that never became a record (a malformed file or frame). */
  public static DeadLetter unreadable(
      String where,
      long position,
      byte[] original,
      String stage,
      Exception error,
      String application) {
    String reason =
        error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return DeadLetter.newBuilder()
        .setSourceTopic(where)
        .setSourcePartition(-1)
        .setSourceOffset(position)
        .setOriginalKey(null)
        .setOriginalValue(original == null ? null : ByteBuffer.wrap(original))
        .setStage(stage)
        .setErrorClass(error.getClass().getName())
        .setReason(reason.strip().lines().findFirst().orElse(""))
        .setTime(Instant.now())
        .setApplication(application)
        .build();
  }
}
