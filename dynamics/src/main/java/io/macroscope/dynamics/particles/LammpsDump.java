package io.macroscope.dynamics.particles;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * LAMMPS text dumps ({@code dump custom} or {@code dump atom}), one trajectory per file: per frame
 * {@code ITEM: TIMESTEP}, {@code ITEM: NUMBER OF ATOMS}, {@code ITEM: BOX BOUNDS} and {@code ITEM:
 * ATOMS} with the column names, optionally {@code ITEM: TIME} and {@code ITEM: UNITS}.
 *
 * <ul>
 *   <li>Positions come from {@code x y [z]}, else the unwrapped {@code xu yu [zu]}, else the scaled
 *       {@code xs ys [zs]} (orthogonal boxes only), mapped back through the box bounds. LAMMPS
 *       writes z in 2-D runs too: a file whose z is the same for every atom of every frame is read
 *       as 2-D.
 *   <li>Atoms are sorted by {@code id} when the dump has one (LAMMPS writes them in processor
 *       order, which changes from frame to frame).
 *   <li>{@code element}, else {@code type}, gives the species; {@code id} and the image flags
 *       {@code ix iy iz} are dropped; every other column is kept as a per-particle column.
 *   <li>Macro values: frame info holds {@code timestep} (and {@code time}); a dump has no per-frame
 *       scalars, so the thermo output of the run is read from the LAMMPS log beside the dump,
 *       {@code <name>.log} for {@code <name>.lammpstrj} or {@code <name>.dump}, when it exists:
 *       every thermo column ({@code PotEng}, {@code Temp}, {@code c_mix}, ...) of the row with the
 *       frame's step becomes a key=value of the frame.
 * </ul>
 *
 * Malformed input fails with the file and line.
 */
public final class LammpsDump {

  /** File name endings read as LAMMPS dumps. */
  public static final List<String> EXTENSIONS = List.of(".lammpstrj", ".dump");

  private static final Set<String> DROPPED = Set.of("id", "ix", "iy", "iz");
  private static final List<List<String>> POSITION_STYLES =
      List.of(List.of("x", "y", "z"), List.of("xu", "yu", "zu"), List.of("xs", "ys", "zs"));

  private LammpsDump() {}

  /** Whether {@code file} is named like a LAMMPS dump. */
  public static boolean matches(Path file) {
    String name = file.getFileName().toString();
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  /** Reads every frame of a dump, with the thermo values of {@code <name>.log} when present. */
  public static List<ParticleFrame> read(Path dump) throws IOException {
    Path log = companionLog(dump);
    Map<Long, Map<String, String>> thermo = Files.exists(log) ? LammpsLog.thermo(log) : Map.of();
    List<ParticleFrame> frames = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(dump, StandardCharsets.UTF_8)) {
      Reader reader = new Reader(in, dump.toString());
      for (Reader.Frame f = reader.next(); f != null; f = reader.next()) {
        Map<String, String> info = new LinkedHashMap<>(f.frame.info());
        if (!thermo.isEmpty()) {
          Map<String, String> row = thermo.get(f.step);
          if (row == null) {
            throw new IllegalArgumentException(
                dump
                    + ":"
                    + f.line
                    + ": timestep "
                    + f.step
                    + " has no thermo row in "
                    + log.getFileName()
                    + " (write thermo output at every dumped step)");
          }
          row.forEach(info::putIfAbsent);
        }
        frames.add(f.frame.withInfo(info));
      }
    }
    if (frames.isEmpty()) {
      throw new IllegalArgumentException(dump + ": no frames (empty LAMMPS dump)");
    }
    return flattenConstantZ(frames);
  }

  /** {@code run.log} for {@code run.lammpstrj} or {@code run.dump}. */
  static Path companionLog(Path dump) {
    String name = dump.getFileName().toString();
    String stem = name.substring(0, name.lastIndexOf('.'));
    return dump.resolveSibling(stem + ".log");
  }

  /** Drops z when it is one value over the whole file (a 2-D run). */
  private static List<ParticleFrame> flattenConstantZ(List<ParticleFrame> frames) {
    if (frames.stream().anyMatch(f -> f.dim() != 3)) {
      return frames;
    }
    float z0 = Float.NaN;
    for (ParticleFrame f : frames) {
      for (int i = 0; i < f.n(); i++) {
        float z = f.positions()[3 * i + 2];
        if (Float.isNaN(z0)) {
          z0 = z;
        } else if (z != z0) {
          return frames;
        }
      }
    }
    List<ParticleFrame> out = new ArrayList<>(frames.size());
    for (ParticleFrame f : frames) {
      float[] xy = new float[2 * f.n()];
      for (int i = 0; i < f.n(); i++) {
        xy[2 * i] = f.positions()[3 * i];
        xy[2 * i + 1] = f.positions()[3 * i + 1];
      }
      out.add(new ParticleFrame(f.n(), 2, xy, f.species(), f.columns(), f.info()));
    }
    return out;
  }

  /** Reads frames one at a time, counting lines for error messages. */
  private static final class Reader {
    private final NumberedLines lines;

    /** A frame (info: timestep, time) with its step and the line the step was read from. */
    record Frame(ParticleFrame frame, long step, long line) {}

    Reader(BufferedReader in, String source) {
      this.lines = new NumberedLines(in, source);
    }

    /** The next frame, or null at the end of the file. */
    Frame next() throws IOException {
      String item = lines.nextNonBlank();
      if (item == null) {
        return null;
      }
      long stepLine = lines.count();
      Map<String, String> info = new LinkedHashMap<>();
      Long step = null;
      int n = -1;
      double[][] box = null;
      while (!item.startsWith("ITEM: ATOMS")) {
        if (item.startsWith("ITEM: TIMESTEP")) {
          if (step != null) {
            throw lines.error("the frame of timestep " + step + " ends before its ITEM: ATOMS");
          }
          step = parseLong(value("TIMESTEP"), "timestep");
          stepLine = lines.count();
          info.put("timestep", Long.toString(step));
        } else if (item.startsWith("ITEM: TIME")) {
          info.put("time", Double.toString(parseDouble(value("TIME"), "time")));
        } else if (item.startsWith("ITEM: NUMBER OF ATOMS")) {
          n = (int) parseLong(value("NUMBER OF ATOMS"), "atom count");
          if (n < 0) {
            throw lines.error("negative atom count " + n);
          }
        } else if (item.startsWith("ITEM: BOX BOUNDS")) {
          box = readBox(item.contains("xy") || item.contains("abc"));
        } else if (item.startsWith("ITEM: UNITS")) {
          value("UNITS");
        } else if (item.startsWith("ITEM:")) {
          throw lines.error("unknown section '" + NumberedLines.abbreviate(item) + "'");
        } else {
          throw lines.error("expected an ITEM: line, got '" + NumberedLines.abbreviate(item) + "'");
        }
        item = lines.nextNonBlank();
        if (item == null) {
          throw lines.error("file ends before ITEM: ATOMS");
        }
      }
      if (step == null || n < 0) {
        throw lines.error(
            "a frame needs ITEM: TIMESTEP and ITEM: NUMBER OF ATOMS before its atoms");
      }
      List<String> names =
          Arrays.asList(item.substring("ITEM: ATOMS".length()).trim().split("\\s+"));
      return new Frame(readAtoms(n, names, box).withInfo(info), step, stepLine);
    }

    /** Box bounds (lo, hi) per axis, or null for a triclinic box (its lines are not lo, hi). */
    private double[][] readBox(boolean triclinic) throws IOException {
      double[][] box = new double[3][];
      for (int a = 0; a < 3; a++) {
        String[] t = lines.next("file ends inside BOX BOUNDS").trim().split("\\s+");
        if (t.length < 2) {
          throw lines.error("a BOX BOUNDS line needs lo and hi");
        }
        box[a] = new double[] {parseDouble(t[0], "box bound"), parseDouble(t[1], "box bound")};
      }
      return triclinic ? null : box;
    }

    private ParticleFrame readAtoms(int n, List<String> names, double[][] box) throws IOException {
      List<String> style = positionStyle(names);
      boolean scaled = style.get(0).equals("xs");
      if (scaled && box == null) {
        throw lines.error(
            "scaled coordinates (xs ys zs) need an orthogonal box: dump x y z instead");
      }
      int dim = names.contains(style.get(2)) ? 3 : 2;
      int[] posIndex = new int[dim];
      for (int a = 0; a < dim; a++) {
        posIndex[a] = names.indexOf(style.get(a));
      }
      int idIndex = names.indexOf("id");
      int speciesIndex =
          names.contains("element") ? names.indexOf("element") : names.indexOf("type");
      Set<String> positionNames = Set.copyOf(style.subList(0, dim));
      Map<String, Integer> kept = new LinkedHashMap<>();
      for (int c = 0; c < names.size(); c++) {
        String name = names.get(c);
        if (!positionNames.contains(name) && c != speciesIndex && !DROPPED.contains(name)) {
          kept.put(name, c);
        }
      }
      long[] ids = new long[n];
      float[] positions = new float[n * dim];
      String[] species = speciesIndex >= 0 ? new String[n] : null;
      Map<String, float[]> columns = new LinkedHashMap<>();
      kept.keySet().forEach(k -> columns.put(k, new float[n]));
      for (int i = 0; i < n; i++) {
        String[] t = lines.row(i, n, names.size(), "atom", "ITEM: ATOMS names");
        if (idIndex >= 0) {
          ids[i] = parseLong(t[idIndex], "id");
        }
        for (int a = 0; a < dim; a++) {
          double v = parseDouble(t[posIndex[a]], style.get(a));
          positions[i * dim + a] = (float) (scaled ? box[a][0] + v * (box[a][1] - box[a][0]) : v);
        }
        if (species != null) {
          species[i] = t[speciesIndex];
        }
        for (var e : kept.entrySet()) {
          columns.get(e.getKey())[i] = (float) parseDouble(t[e.getValue()], e.getKey());
        }
      }
      ParticleFrame frame = new ParticleFrame(n, dim, positions, species, columns, Map.of());
      return idIndex >= 0 ? sortedById(frame, ids) : frame;
    }

    private List<String> positionStyle(List<String> names) {
      for (List<String> style : POSITION_STYLES) {
        if (names.contains(style.get(0)) && names.contains(style.get(1))) {
          return style;
        }
      }
      throw lines.error("ITEM: ATOMS has no positions (x y [z], xu yu [zu] or xs ys [zs])");
    }

    private String value(String item) throws IOException {
      String text = lines.nextNonBlank();
      if (text == null) {
        throw lines.error("file ends after ITEM: " + item);
      }
      return text.trim();
    }

    private long parseLong(String token, String what) {
      try {
        return Long.parseLong(token.trim());
      } catch (NumberFormatException e) {
        throw lines.error("'" + NumberedLines.abbreviate(token) + "' is not a valid " + what);
      }
    }

    private double parseDouble(String token, String what) {
      try {
        return Double.parseDouble(token);
      } catch (NumberFormatException e) {
        throw lines.error(
            "'" + NumberedLines.abbreviate(token) + "' in column " + what + " is not a number");
      }
    }
  }

  /** The frame's atoms in increasing id order (a stable order for order-dependent baselines). */
  private static ParticleFrame sortedById(ParticleFrame f, long[] ids) {
    return f.reordered(
        IntStream.range(0, f.n())
            .boxed()
            .sorted(Comparator.comparingLong(i -> ids[i]))
            .mapToInt(Integer::intValue)
            .toArray());
  }
}
