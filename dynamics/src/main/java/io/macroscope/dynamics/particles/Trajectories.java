package io.macroscope.dynamics.particles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Trajectory files, one trajectory per file: extended XYZ ({@code .xyz}, {@code .extxyz}) or a
 * LAMMPS text dump ({@code .lammpstrj}, {@code .dump}, macros from the run's log beside it, see
 * {@link LammpsDump}); a directory holds many.
 */
public final class Trajectories {

  private Trajectories() {}

  /** Every trajectory file of a directory (sorted by name), or one file. */
  public static List<Path> files(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      List<Path> files = s.filter(Trajectories::isTrajectory).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException(
            path + ": no trajectory files (.xyz, .extxyz, .lammpstrj or .dump)");
      }
      return files;
    }
  }

  /** Reads every trajectory of {@code path} (a file or a directory of files). */
  public static List<List<ParticleFrame>> read(Path path) throws IOException {
    List<List<ParticleFrame>> out = new ArrayList<>();
    for (Path f : files(path)) {
      out.add(readOne(f));
    }
    return out;
  }

  /** One trajectory file, read by its name: a LAMMPS dump or else extended XYZ. */
  public static List<ParticleFrame> readOne(Path file) throws IOException {
    return LammpsDump.matches(file) ? LammpsDump.read(file) : ExtendedXyz.read(file);
  }

  /** Whether the file is named like a trajectory file this class reads. */
  public static boolean isTrajectory(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".xyz") || name.endsWith(".extxyz") || LammpsDump.matches(p);
  }

  /**
   * Time between recorded frames from the frames' {@code time} values (first trajectory's first two
   * frames), or 1 when they carry none.
   */
  public static double frameDt(List<List<ParticleFrame>> trajectories) {
    List<ParticleFrame> first = trajectories.get(0);
    if (first.size() < 2
        || !first.get(0).info().containsKey("time")
        || !first.get(1).info().containsKey("time")) {
      return 1;
    }
    double dt = first.get(1).macro("time") - first.get(0).macro("time");
    return dt > 0 ? dt : 1;
  }
}
