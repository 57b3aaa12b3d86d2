package io.macroscope.dynamics.bundle;

import io.macroscope.dynamics.closure.ClosureMethod;
import io.macroscope.dynamics.closure.LatentScaling;
import io.macroscope.dynamics.closure.SetEncoder;
import io.macroscope.dynamics.closure.SetFeatures;
import io.macroscope.dynamics.closure.TrainedClosure;
import io.macroscope.dynamics.nn.MlpSpec;
import io.macroscope.dynamics.nn.OnnxMlp;
import io.macroscope.dynamics.particles.ParticleFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes closure models as bundles: {@code encoder.onnx} (the DeepSet or Set Transformer, any set
 * size), {@code drift.onnx} and, for an SDE, {@code diffusion.onnx} (log sigma) on the normalised
 * state, plus the spline-flow decoder as PyTorch-engine parameters ({@code decoder.params}; its
 * data-dependent bin lookup stays out of ONNX — forecasting does not need it).
 */
public final class ClosureBundles {

  private ClosureBundles() {}

  /**
   * Writes {@code model} to {@code dir} (which must not exist yet).
   *
   * @param frameDt time between recorded frames, in the data's units (1 if unknown)
   * @param sample training frames whose latent statistics are recorded for out-of-distribution
   *     checks
   */
  public static ModelBundle write(
      Path dir,
      TrainedClosure model,
      String version,
      Map<String, Double> metrics,
      double frameDt,
      List<ParticleFrame> sample) {
    if (Files.exists(dir)) {
      throw new BundleException("bundle directory " + dir + " already exists: choose a new --out");
    }
    if (!(model.encoder() instanceof SetEncoder setEncoder)) {
      throw new BundleException(
          "only set encoders are bundled; " + model.config().method().label() + " is a baseline");
    }
    SetFeatures f = model.features();
    LatentScaling scaling = model.scaling();
    int d = model.config().latentDim();
    MlpSpec dynamics = model.dynamicsSpec();
    Path parent = dir.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
      Path staging = Files.createTempDirectory(parent, "." + dir.getFileName() + ".partial-");
      Map<String, Manifest.FileEntry> files = new LinkedHashMap<>();
      files.put(
          "encoder",
          ModelBundle.writeOnnx(staging, "encoder.onnx", setEncoder.exportOnnx(), "x,mask", "z"));
      files.put(
          "drift",
          ModelBundle.writeOnnx(
              staging,
              "drift.onnx",
              OnnxMlp.export(dynamics, model.drift(), "drift", "s", "mu"),
              "s",
              "mu"));
      if (model.diffusion().isPresent()) {
        files.put(
            "diffusion",
            ModelBundle.writeOnnx(
                staging,
                "diffusion.onnx",
                OnnxMlp.export(
                    dynamics, model.diffusion().orElseThrow(), "diffusion", "s", "log_sigma"),
                "s",
                "log_sigma"));
      }
      if (model.decoder().isPresent()) {
        files.put(
            "decoder-pytorch",
            ModelBundle.writeParams(
                staging, "decoder.params", model.decoder().orElseThrow(), "y,context", "log_q"));
      }
      Manifest.ClosureSpec spec =
          new Manifest.ClosureSpec(
              setEncoder.kind(),
              setEncoder.phiSpec(),
              setEncoder.rhoSpec(),
              f.slots(),
              f.dim(),
              f.columns(),
              f.species(),
              list(scaling.latentMean()),
              list(scaling.latentScale()),
              list(scaling.macroMean()),
              list(scaling.macroScale()),
              dynamics,
              model.diffusion().isPresent(),
              f.centered(),
              f.aligned());
      List<Integer> shape = new ArrayList<>();
      shape.add(f.features());
      Manifest manifest =
          new Manifest(
              ModelBundle.FORMAT_VERSION,
              model.config().method() == ClosureMethod.CLOSURE
                  ? "closure"
                  : model.config().method().label(),
              version,
              Instant.now().toString(),
              new Manifest.InputSpec("particles", shape),
              d,
              model.macros(),
              frameDt,
              model.diffusion().isPresent()
                  ? new Manifest.Diffusion("learned-diagonal", 0, false)
                  : new Manifest.Diffusion("none", 0, true),
              new Manifest.Normalization(list(f.mean()), list(f.scale())),
              files,
              ModelBundle.training(model.config(), model.history(), metrics),
              ModelBundle.support(model.encode(sample), d),
              null,
              null,
              spec);
      ModelBundle.JSON.writeValue(staging.resolve(ModelBundle.MANIFEST).toFile(), manifest);
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      return new ModelBundle(dir, manifest);
    } catch (IOException e) {
      throw new BundleException("cannot write bundle " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<Double> list(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
