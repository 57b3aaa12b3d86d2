package io.macroscope.cli;

import io.macroscope.dynamics.data.Npy;
import io.macroscope.dynamics.data.NpyArray;
import io.macroscope.dynamics.metrics.LatentError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope evaluate}: latent error against known coordinates. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Isometry-corrected latent error of a latent trajectory against the true coordinates",
      "(orthogonal Procrustes + shift), relative to the truth's variance: strict, and with a free",
      "scale (similarity)."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Option(
      names = "--latent",
      required = true,
      paramLabel = "Z.npy",
      description = "Latent trajectory (T, d).")
  Path latent;

  @Option(
      names = "--truth",
      required = true,
      paramLabel = "T.npy",
      description = "True coordinates (T, d).")
  Path truth;

  @Override
  public Integer call() throws IOException {
    NpyArray z = Npy.read(latent);
    NpyArray t = Npy.read(truth);
    if (z.rows() != t.rows() || z.rowSize() != t.rowSize()) {
      throw new IllegalArgumentException(
          "latent "
              + java.util.Arrays.toString(z.shape())
              + " and truth "
              + java.util.Arrays.toString(t.shape())
              + " must have the same shape (T, d)");
    }
    LatentError.Result r =
        LatentError.compute(toDouble(z.data()), toDouble(t.data()), z.rows(), z.rowSize());
    System.out.printf(
        "latent error: strict %.6f  similarity %.6f  (fitted truth/latent scale %.6f)%n",
        r.strict(), r.similarity(), r.scale());
    return 0;
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
