package io.macroscope.dynamics.particles;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Extended XYZ trajectories: per frame a line with the particle count N, a comment line of
 * key=value pairs (values may be double-quoted) with an optional {@code Properties=} declaration
 * ({@code name:type:count} triples, types S/R/I/L), then N particle lines. Without a declaration
 * the classic {@code species:S:1:pos:R:3} applies. The position column {@code pos} may have 2 or 3
 * values; species come from a string column named {@code species} (or {@code element}); other real
 * or integer columns are kept by name. Malformed input fails with the file and line.
 */
public final class ExtendedXyz {

  private static final String DEFAULT_PROPERTIES = "species:S:1:pos:R:3";

  private ExtendedXyz() {}

  /** Reads every frame of one trajectory file. */
  public static List<ParticleFrame> read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      FrameReader reader = new FrameReader(in, file.toString());
      List<ParticleFrame> frames = new ArrayList<>();
      for (ParticleFrame f = reader.next(); f != null; f = reader.next()) {
        frames.add(f);
      }
      if (frames.isEmpty()) {
        throw new IllegalArgumentException(file + ": no frames (empty extended XYZ file)");
      }
      return frames;
    }
  }

  /** Writes frames to a file (replacing it). */
  public static void write(Path file, List<ParticleFrame> frames) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (ParticleFrame f : frames) {
        write(out, f);
      }
    }
  }

  /** Writes one frame, declaring its columns in {@code Properties=}. */
  public static void write(Writer out, ParticleFrame f) throws IOException {
    StringBuilder props = new StringBuilder();
    if (f.species() != null) {
      props.append("species:S:1:");
    }
    props.append("pos:R:").append(f.dim());
    for (String c : f.columns().keySet()) {
      props.append(':').append(c).append(":R:1");
    }
    StringBuilder sb = new StringBuilder();
    sb.append(f.n()).append('\n');
    sb.append("Properties=").append(props);
    for (var e : f.info().entrySet()) {
      sb.append(' ').append(e.getKey()).append('=').append(quote(e.getValue()));
    }
    sb.append('\n');
    for (int i = 0; i < f.n(); i++) {
      if (f.species() != null) {
        sb.append(f.species()[i]).append(' ');
      }
      for (int a = 0; a < f.dim(); a++) {
        if (a > 0) {
          sb.append(' ');
        }
        sb.append(number(f.positions()[i * f.dim() + a]));
      }
      for (float[] c : f.columns().values()) {
        sb.append(' ').append(number(c[i]));
      }
      sb.append('\n');
    }
    out.write(sb.toString());
  }

  private static String number(float v) {
    return String.format(Locale.ROOT, "%.7g", v);
  }

  private static String quote(String v) {
    return v.isEmpty() || v.chars().anyMatch(Character::isWhitespace) ? '"' + v + '"' : v;
  }

  /**
   * Reads frames one at a time from a stream, counting lines for error messages (the trajectory
   * tail connector follows a growing file with it).
   */
  public static final class FrameReader {
    private final NumberedLines lines;

    public FrameReader(BufferedReader in, String source) {
      this.lines = new NumberedLines(in, source);
    }

    /** Lines consumed so far. */
    public long linesRead() {
      return lines.count();
    }

    /**
     * The next frame, or null at a clean end of input (blank lines between frames are skipped).
     *
     * @throws IllegalArgumentException naming source and line for malformed or truncated frames
     */
    public ParticleFrame next() throws IOException {
      String countLine = lines.nextNonBlank();
      if (countLine == null) {
        return null;
      }
      int n;
      try {
        n = Integer.parseInt(countLine.trim());
      } catch (NumberFormatException e) {
        throw lines.error(
            "expected the particle count, got '" + NumberedLines.abbreviate(countLine) + "'");
      }
      if (n < 0) {
        throw lines.error("negative particle count " + n);
      }
      String comment = lines.next("file ends before the comment line of a frame");
      Map<String, String> info = parseInfo(comment);
      List<Column> layout = parseProperties(info.remove("Properties"));
      return readParticles(n, layout, info);
    }

    private ParticleFrame readParticles(int n, List<Column> layout, Map<String, String> info)
        throws IOException {
      Column pos = layout.stream().filter(c -> c.name.equals("pos")).findFirst().orElse(null);
      if (pos == null || pos.type != 'R' || pos.count < 1 || pos.count > 3) {
        throw lines.error("Properties must declare pos:R:2 or pos:R:3");
      }
      int width = layout.stream().mapToInt(c -> c.count).sum();
      float[] positions = new float[n * pos.count];
      String[] species = null;
      Map<String, float[]> columns = new LinkedHashMap<>();
      for (Column c : layout) {
        if (c.type == 'S' && (c.name.equals("species") || c.name.equals("element"))) {
          species = new String[n];
        } else if (c != pos && (c.type == 'R' || c.type == 'I') && c.count == 1) {
          columns.put(c.name, new float[n]);
        }
      }
      for (int i = 0; i < n; i++) {
        String[] tokens = lines.row(i, n, width, "particle", "Properties declare");
        int t = 0;
        for (Column c : layout) {
          for (int k = 0; k < c.count; k++, t++) {
            if (c == pos) {
              positions[i * pos.count + k] = parse(tokens[t], "pos");
            } else if (species != null
                && c.type == 'S'
                && (c.name.equals("species") || c.name.equals("element"))) {
              species[i] = tokens[t];
            } else if (columns.containsKey(c.name)) {
              columns.get(c.name)[i] = parse(tokens[t], c.name);
            }
          }
        }
      }
      return new ParticleFrame(n, pos.count, positions, species, columns, info);
    }

    private float parse(String token, String column) {
      float v;
      try {
        v = Float.parseFloat(token);
      } catch (NumberFormatException e) {
        throw lines.error(
            "'" + NumberedLines.abbreviate(token) + "' in column " + column + " is not a number");
      }
      return v;
    }

    private List<Column> parseProperties(String declaration) {
      String[] parts = (declaration == null ? DEFAULT_PROPERTIES : declaration).split(":");
      if (parts.length % 3 != 0) {
        throw lines.error(
            "Properties=" + declaration + " is not a list of name:type:count triples");
      }
      List<Column> layout = new ArrayList<>();
      for (int i = 0; i < parts.length; i += 3) {
        String type = parts[i + 1].toUpperCase(Locale.ROOT);
        if (type.length() != 1 || "SRIL".indexOf(type.charAt(0)) < 0) {
          throw lines.error(
              "unknown column type '" + parts[i + 1] + "' in Properties (S, R, I or L)");
        }
        int count;
        try {
          count = Integer.parseInt(parts[i + 2]);
        } catch (NumberFormatException e) {
          throw lines.error("bad column count '" + parts[i + 2] + "' in Properties");
        }
        if (count < 1) {
          throw lines.error("column " + parts[i] + " needs a positive count");
        }
        layout.add(new Column(parts[i], type.charAt(0), count));
      }
      return layout;
    }

    /** key=value pairs; values may be "double quoted"; a bare key reads as "true". */
    private Map<String, String> parseInfo(String comment) {
      Map<String, String> info = new LinkedHashMap<>();
      int i = 0;
      int len = comment.length();
      while (i < len) {
        while (i < len && Character.isWhitespace(comment.charAt(i))) {
          i++;
        }
        if (i >= len) {
          break;
        }
        int keyStart = i;
        while (i < len && comment.charAt(i) != '=' && !Character.isWhitespace(comment.charAt(i))) {
          i++;
        }
        String key = comment.substring(keyStart, i);
        if (i >= len || comment.charAt(i) != '=') {
          info.put(key, "true");
          continue;
        }
        i++;
        String value;
        if (i < len && comment.charAt(i) == '"') {
          int end = comment.indexOf('"', i + 1);
          if (end < 0) {
            throw lines.error("unterminated quoted value for key " + key);
          }
          value = comment.substring(i + 1, end);
          i = end + 1;
        } else {
          int start = i;
          while (i < len && !Character.isWhitespace(comment.charAt(i))) {
            i++;
          }
          value = comment.substring(start, i);
        }
        info.put(key, value);
      }
      return info;
    }

    private record Column(String name, char type, int count) {}
  }
}
