package io.macroscope.cli;

import io.macroscope.dynamics.data.NpyArray;
import io.macroscope.dynamics.particles.ExtendedXyz;
import io.macroscope.dynamics.particles.ImageSets;
import io.macroscope.dynamics.particles.ParticleFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code macroscope images-to-sets}: a movie as particle sets (bright pixels with an intensity
 * column), written as extended-XYZ trajectories for {@code train closure --columns intensity}.
 */
@Command(
    name = "images-to-sets",
    mixinStandardHelpOptions = true,
    description =
        "Turns a movie into particle-set trajectories (extended XYZ): every pixel above background"
            + " + K x noise becomes a particle at (column, row) with an 'intensity' column;"
            + " optional macro values per frame go into the comment lines.")
final class ImagesToSetsCommand implements Callable<Integer> {

  @Option(
      names = "--input",
      required = true,
      paramLabel = "MOVIE",
      description = "Frames: .npy (T, H, W) or (T, 1, H, W), image folder or TIFF stack.")
  Path input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to create, one segment-NNNN.xyz per trajectory.")
  Path out;

  @Option(
      names = "--threshold",
      defaultValue = "3",
      paramLabel = "K",
      description =
          "Pixels above median + K x robust noise become particles (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(
      names = "--segment",
      defaultValue = "0",
      paramLabel = "T",
      description =
          "Frames per trajectory (0: the whole movie is one) (default: ${DEFAULT-VALUE}).")
  int segment;

  @Option(
      names = "--macros",
      paramLabel = "FILE.npy",
      description =
          "Macro values per frame, (T,) or (T, q) — e.g. the truth.npy of simulate blob-video.")
  Path macros;

  @Option(
      names = "--macro-names",
      split = ",",
      paramLabel = "NAME",
      description = "Names of the --macros columns, in order.")
  List<String> macroNames = List.of();

  @Option(
      names = "--dt",
      defaultValue = "1",
      description = "Time between frames, written as time= (default: ${DEFAULT-VALUE}).")
  double dt;

  @Override
  public Integer call() throws IOException {
    if (Files.exists(out)) {
      throw new IllegalArgumentException(out + " already exists: choose a new --out");
    }
    if (segment < 0 || !(dt > 0)) {
      throw new IllegalArgumentException("--segment must be >= 0 and --dt > 0");
    }
    NpyArray movie = io.macroscope.dynamics.data.Inputs.read(input);
    int[] s = movie.shape();
    boolean oneChannel = s.length == 4 && s[1] == 1;
    if (!(s.length == 3 || oneChannel)) {
      throw new IllegalArgumentException(
          input
              + ": need a grayscale movie (T, H, W) or (T, 1, H, W), got "
              + java.util.Arrays.toString(s));
    }
    int frames = s[0];
    int height = s[s.length - 2];
    int width = s[s.length - 1];
    double[] values = null;
    int q = 0;
    if (macros != null) {
      NpyArray m = io.macroscope.dynamics.data.Npy.read(macros);
      q = m.shape().length == 1 ? 1 : m.rowSize();
      if (m.shape()[0] != frames || m.shape().length > 2) {
        throw new IllegalArgumentException(
            macros
                + ": need (T,) or (T, q) with T = "
                + frames
                + ", got "
                + java.util.Arrays.toString(m.shape()));
      }
      if (macroNames.size() != q) {
        throw new IllegalArgumentException(
            "--macro-names must name the " + q + " columns of " + macros);
      }
      float[] raw = m.data();
      values = new double[raw.length];
      for (int i = 0; i < raw.length; i++) {
        values[i] = raw[i];
      }
    } else if (!macroNames.isEmpty()) {
      throw new IllegalArgumentException("--macro-names needs --macros");
    }
    int length = segment == 0 ? frames : segment;
    Files.createDirectories(out);
    long particles = 0;
    int written = 0;
    for (int start = 0; start + 1 < frames; start += length) {
      List<ParticleFrame> trajectory = new ArrayList<>();
      for (int f = start; f < Math.min(frames, start + length); f++) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("time", String.format(Locale.ROOT, "%.9g", (f - start) * dt));
        for (int k = 0; k < q; k++) {
          info.put(macroNames.get(k), Double.toString(values[f * q + k]));
        }
        ParticleFrame set = ImageSets.toSet(movie.data(), f, height, width, threshold, info);
        particles += set.n();
        trajectory.add(set);
      }
      ExtendedXyz.write(out.resolve(String.format("segment-%04d.xyz", written)), trajectory);
      written++;
    }
    System.out.printf(
        "wrote %d trajector%s of up to %d frames to %s (%.1f particles per frame on average)%n",
        written, written == 1 ? "y" : "ies", length, out, particles / (double) frames);
    return 0;
  }
}
