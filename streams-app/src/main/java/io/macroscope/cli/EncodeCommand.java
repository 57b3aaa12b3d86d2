package io.macroscope.cli;

import io.macroscope.dynamics.bundle.BundleEncoder;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.data.Npy;
import io.macroscope.dynamics.data.NpyArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope encode}: a bundle's encoder over a file, one latent row per input frame. */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description =
        "Encodes every frame of a .npy file with a model bundle (ONNX Runtime), in order.")
final class EncodeCommand implements Callable<Integer> {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "BUNDLE",
      description = "Model bundle directory.")
  Path model;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "Input: .npy (T, ...), image folder or TIFF stack.")
  Path input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "Z.npy",
      description = "Latent output (T, d).")
  Path out;

  @Option(
      names = "--engine",
      defaultValue = "ONNX",
      description = "Inference engine: onnx (ONNX Runtime) or pytorch (default: ${DEFAULT-VALUE}).")
  BundleEncoder.Engine engine;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "Inference threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() throws IOException {
    ModelBundle bundle = ModelBundle.read(model);
    NpyArray data = io.macroscope.dynamics.data.Inputs.read(input);
    try (BundleEncoder encoder = BundleEncoder.open(bundle, engine, threads)) {
      if (data.rowSize() != encoder.features()) {
        throw new IllegalArgumentException(
            input
                + ": frames have "
                + data.rowSize()
                + " values, the model expects "
                + encoder.features());
      }
      float[] z = encoder.encode(data.data(), data.rows());
      Npy.write(out, new int[] {data.rows(), encoder.latentDim()}, z);
      System.out.printf(
          "encoded %d frames to %s (%d x %d)%n",
          data.rows(), out, data.rows(), encoder.latentDim());
    }
    return 0;
  }
}
