package io.macroscope.streams;

import io.macroscope.connectors.Records;
import io.macroscope.dynamics.ae.DynamicsAeConfig;
import io.macroscope.dynamics.ae.DynamicsAeTrainer;
import io.macroscope.dynamics.ae.TrainedAutoencoder;
import io.macroscope.dynamics.bundle.BundleArchive;
import io.macroscope.dynamics.bundle.ClosureBundles;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.closure.ClosureConfig;
import io.macroscope.dynamics.closure.ClosureTrainer;
import io.macroscope.dynamics.closure.TrainedClosure;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.StepForceParticles;
import io.macroscope.dynamics.sim.ThreeWellTrajectory;
import io.macroscope.dynamics.sim.Warp;
import io.macroscope.schemas.Frame;
import io.macroscope.schemas.ModelMethod;
import io.macroscope.schemas.ModelRelease;
import io.macroscope.schemas.ParticleSnapshot;
import io.macroscope.schemas.PixelType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * Small real model bundles for the pipeline's tests: a Dynamics-AE trained for a few seconds on a
 * warped three-well trajectory (2 features per frame, d = 2), zipped as releases travel. Trained
 * once per JVM; the bundle directories are deleted once zipped.
 */
public final class TestBundles {

  /** Frames of the training trajectory (2 values each), for feeding the pipeline. */
  private static float[] inputs;

  private static byte[] zipped;
  private static byte[] closureZip;

  private TestBundles() {}

  /** The zipped Dynamics-AE bundle (trained on first use). */
  public static synchronized byte[] dynamicsAe() {
    if (zipped == null) {
      ThreeWellTrajectory t = ThreeWellTrajectory.simulate(3000, 1.0, 1e-3, 10, Warp.PARABOLIC, 5);
      inputs = t.observedFloats();
      DynamicsAeConfig config =
          DynamicsAeConfig.builder()
              .setLatentDim(2)
              .optEpochs(2)
              .optBatchSize(64)
              .optSeed(1)
              .build();
      try {
        Path dir = Files.createTempDirectory("macroscope-test-bundle");
        Path bundle = dir.resolve("bundle");
        try (TrainedAutoencoder model =
            new DynamicsAeTrainer(config, e -> {}).fit(inputs, inputs.length / 2, 2)) {
          ModelBundle.write(bundle, model, "test", Map.of(), inputs);
        }
        zipped = BundleArchive.zip(bundle);
        Utils.delete(dir.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return zipped;
  }

  /** A zipped closure bundle (SDE over 2 latent dims + energy), trained for seconds. */
  public static synchronized byte[] closure() {
    if (closureZip == null) {
      List<List<ParticleFrame>> trajectories = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        trajectories.add(StepForceParticles.defaults().simulate(12, 16, 2, i));
      }
      ClosureConfig config =
          ClosureConfig.builder()
              .optLatentDim(2)
              .optAutoencoderEpochs(1)
              .optDynamicsEpochs(3)
              .optSamplesPerSet(32)
              .optSeed(2)
              .build();
      try (TrainedClosure model =
          new ClosureTrainer(config, e -> {}).fit(trajectories, List.of("energy"), List.of())) {
        Path dir = Files.createTempDirectory("macroscope-test-closure");
        Path bundle = dir.resolve("bundle");
        ClosureBundles.write(bundle, model, "test", Map.of(), 1.0, trajectories.get(0));
        closureZip = BundleArchive.zip(bundle);
        Utils.delete(dir.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return closureZip;
  }

  /** A snapshot of {@code positions} (n x 2) with an energy macro (null: none). */
  public static ParticleSnapshot snapshot(
      String source, long sequence, float[] positions, Double energy) {
    Map<String, Double> macros = energy == null ? Map.of() : Map.of("energy", energy);
    return Records.snapshot(
        ParticleFrame.of(positions.length / 2, 2, positions, macros), source, sequence, List.of());
  }

  /** Input i of the training trajectory (x, y'), cycling. */
  public static synchronized float[] input(int i) {
    dynamicsAe();
    int n = inputs.length / 2;
    int k = Math.floorMod(i, n);
    return new float[] {inputs[2 * k], inputs[2 * k + 1]};
  }

  /** A release of {@code zip} carried inline. */
  public static ModelRelease release(String line, String version, byte[] zip, String parent) {
    return ModelRelease.newBuilder()
        .setModelName(line)
        .setVersion(version)
        .setMethod(ModelMethod.DYNAMICS_AE)
        .setBundleUri("")
        .setBundle(ByteBuffer.wrap(zip))
        .setSha256(BundleArchive.sha256(zip))
        .setSizeBytes(zip.length)
        .setCreatedAt(Instant.now())
        .setParentVersion(parent)
        .build();
  }

  /** A 1 x 1 x 2 f32 frame holding {@code values}. */
  public static Frame frame(String source, long sequence, float... values) {
    ByteBuffer pixels = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      pixels.putFloat(v);
    }
    pixels.flip();
    return Frame.newBuilder()
        .setSourceId(source)
        .setSequence(sequence)
        .setCaptureTime(Instant.now())
        .setWidth(values.length)
        .setHeight(1)
        .setChannels(1)
        .setPixelType(PixelType.F32)
        .setPixels(pixels)
        .build();
  }
}
