package io.macroscope.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One valid, fully populated instance of every top-level record type, for round-trip tests. */
public final class SampleRecords {

  private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_123L);

  private SampleRecords() {}

  public static Frame frame() {
    return Frame.newBuilder()
        .setSourceId("scope-1")
        .setSequence(42)
        .setCaptureTime(T0)
        .setWidth(2)
        .setHeight(2)
        .setChannels(1)
        .setPixelType(PixelType.U16)
        .setPixels(ByteBuffer.wrap(new byte[] {1, 0, 2, 0, 3, 0, (byte) 255, (byte) 255}))
        .setGroundTruth(List.of(0.5, -1.25))
        .setMetadata(Map.of("exposure_ms", "10"))
        .build();
  }

  public static ParticleSnapshot snapshot() {
    ByteBuffer positions = ByteBuffer.allocate(3 * 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : new float[] {0f, 0f, 1f, 0.5f, -2f, 3.25f}) {
      positions.putFloat(v);
    }
    positions.flip();
    ByteBuffer features = ByteBuffer.allocate(3 * 4).order(ByteOrder.LITTLE_ENDIAN);
    features.putFloat(0.1f).putFloat(0.2f).putFloat(0.3f).flip();
    return ParticleSnapshot.newBuilder()
        .setSourceId("sim-7")
        .setSequence(3)
        .setSimulationTime(0.75)
        .setCaptureTime(T0)
        .setSpatialDim(2)
        .setParticleCount(3)
        .setPositions(positions)
        .setSpecies(List.of(0, 1, 0))
        .setFeatureNames(List.of("intensity"))
        .setFeatures(features)
        .setBox(
            Box.newBuilder()
                .setLower(List.of(-5.0, -5.0))
                .setUpper(List.of(5.0, 5.0))
                .setPeriodic(List.of(false, false))
                .build())
        .setMacros(Map.of("energy", -0.31))
        .build();
  }

  public static LatentState latentState() {
    return LatentState.newBuilder()
        .setSourceId("scope-1")
        .setSequence(42)
        .setCaptureTime(T0)
        .setEncodeTime(T0.plusMillis(5))
        .setZ(List.of(0.1, -0.2))
        .setMacro(Map.of("energy", -0.31))
        .setModelVersion("v3")
        .setMethod(ModelMethod.DYNAMICS_AE)
        .setSupportDistance(0.4)
        .build();
  }

  public static Forecast forecast() {
    ForecastStep step =
        ForecastStep.newBuilder()
            .setStep(1)
            .setTime(0.01)
            .setMean(List.of(0.1, -0.2))
            .setStd(List.of(0.01, 0.02))
            .setQuantiles(List.of(List.of(0.08, 0.1, 0.12), List.of(-0.24, -0.2, -0.16)))
            .build();
    return Forecast.newBuilder()
        .setSourceId("scope-1")
        .setSequence(42)
        .setCaptureTime(T0)
        .setIssueTime(T0.plusMillis(9))
        .setModelVersion("v3")
        .setDt(0.01)
        .setEnsembleSize(64)
        .setSeed(1234L)
        .setComponents(List.of("z0", "z1"))
        .setQuantileLevels(List.of(0.05, 0.5, 0.95))
        .setSteps(List.of(step))
        .build();
  }

  public static AlertRule alertRule() {
    return AlertRule.newBuilder()
        .setRuleId("low-energy")
        .setKind(AlertKind.THRESHOLD)
        .setSourcePattern("sim-.*")
        .setDescription("energy drops")
        .setComponent("energy")
        .setBelow(true)
        .setThreshold(-0.3)
        .setHorizonSteps(50)
        .setMinProbability(0.9)
        .build();
  }

  public static Alert alert() {
    return Alert.newBuilder()
        .setAlertId("low-energy/sim-7/1")
        .setRuleId("low-energy")
        .setKind(AlertKind.THRESHOLD)
        .setSourceId("sim-7")
        .setStatus(AlertStatus.FIRING)
        .setProbability(0.93)
        .setLeadTime(0.12)
        .setSequence(3)
        .setEventTime(T0)
        .setModelVersion("v3")
        .setMessage("P(energy < -0.3 within 50 steps) = 0.93")
        .setEvidence(Map.of("threshold", -0.3))
        .build();
  }

  public static ModelRelease modelRelease() {
    return ModelRelease.newBuilder()
        .setModelName("microscope")
        .setVersion("v3")
        .setMethod(ModelMethod.DYNAMICS_AE)
        .setBundleUri("file:///tmp/models/v3.zip")
        .setSha256("ab".repeat(32))
        .setSizeBytes(12345)
        .setCreatedAt(T0)
        .setParentVersion("v2")
        .setMetrics(Map.of("val_loss", 0.12, "serving_val_loss", 0.15))
        .setAlignment(
            Alignment.newBuilder()
                .setRotation(List.of(0.0, -1.0, 1.0, 0.0))
                .setShift(List.of(0.1, 0.2))
                .setScale(1.0)
                .setResidual(0.003)
                .build())
        .setLineage(Map.of("seed", "7"))
        .build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("frames")
        .setSourcePartition(2)
        .setSourceOffset(1001)
        .setOriginalKey(ByteBuffer.wrap("scope-1".getBytes()))
        .setOriginalValue(ByteBuffer.wrap(new byte[] {9, 9, 9}))
        .setStage("deserialize")
        .setErrorClass("io.macroscope.schemas.serde.CorruptPayloadException")
        .setReason("unknown magic byte 0x09")
        .setTime(T0)
        .setApplication("macroscope-streams")
        .build();
  }

  /** Every top-level record type, one instance each. */
  public static List<SpecificRecord> all() {
    return List.of(
        frame(),
        snapshot(),
        latentState(),
        forecast(),
        alertRule(),
        alert(),
        modelRelease(),
        deadLetter());
  }
}
