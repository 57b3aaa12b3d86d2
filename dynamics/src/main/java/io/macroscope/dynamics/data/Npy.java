package io.macroscope.dynamics.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1-3). Reads float32, float64, uint8
 * and uint16 in either byte order, C order only; writes little-endian float32.
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /**
   * Reads {@code file}.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the file and what is wrong, for anything that is not a
   *     supported .npy array
   */
  public static NpyArray read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  static NpyArray read(InputStream in, String name) throws IOException {
    byte[] magic = in.readNBytes(8);
    if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
      throw new IllegalArgumentException(name + ": not a NumPy .npy file (bad magic)");
    }
    int major = magic[6];
    int headerLength;
    if (major == 1) {
      byte[] len = in.readNBytes(2);
      headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
    } else if (major == 2 || major == 3) {
      byte[] len = in.readNBytes(4);
      headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
    } else {
      throw new IllegalArgumentException(name + ": unsupported .npy format version " + major);
    }
    String header = new String(in.readNBytes(headerLength), StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, name, "descr");
    if (group(FORTRAN, header, name, "fortran_order").equals("True")) {
      throw new IllegalArgumentException(name + ": Fortran-order arrays are not supported");
    }
    int[] shape = parseShape(group(SHAPE, header, name, "shape"), name);
    long count = 1;
    for (int s : shape) {
      count *= s;
    }
    if (count > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(name + ": array of " + count + " values is too large");
    }
    ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String kind = descr.substring(1);
    int width =
        switch (kind) {
          case "f4", "u2" -> kind.equals("f4") ? 4 : 2;
          case "f8" -> 8;
          case "u1" -> 1;
          default ->
              throw new IllegalArgumentException(
                  name
                      + ": unsupported dtype '"
                      + descr
                      + "' (supported: float32, float64, uint8, uint16)");
        };
    byte[] raw = in.readNBytes((int) count * width);
    if (raw.length != count * width) {
      throw new IllegalArgumentException(
          name + ": truncated: expected " + count * width + " data bytes, found " + raw.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(raw).order(order);
    float[] data = new float[(int) count];
    for (int i = 0; i < data.length; i++) {
      data[i] =
          switch (kind) {
            case "f4" -> buf.getFloat();
            case "f8" -> (float) buf.getDouble();
            case "u1" -> buf.get() & 0xff;
            default -> buf.getShort() & 0xffff;
          };
    }
    return new NpyArray(shape, data, descr);
  }

  private static String group(Pattern p, String header, String name, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException(name + ": .npy header has no '" + key + "'");
    }
    return m.group(1);
  }

  private static int[] parseShape(String text, String name) {
    String[] parts = text.split(",");
    return Arrays.stream(parts)
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .mapToInt(
            s -> {
              try {
                return Integer.parseInt(s.replace("L", ""));
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": bad shape entry '" + s + "'");
              }
            })
        .toArray();
  }

  /** Writes {@code data} with {@code shape} as little-endian float32 in C order. */
  public static void write(Path file, int[] shape, float[] data) throws IOException {
    new NpyArray(shape, data, "<f4"); // validates the shape
    StringBuilder dims = new StringBuilder();
    for (int s : shape) {
      dims.append(s).append(", ");
    }
    if (shape.length > 1) {
      dims.setLength(dims.length() - 2);
    } else if (shape.length == 1) {
      dims.setLength(dims.length() - 1);
    }
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    body.asFloatBuffer().put(data);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(MAGIC);
      out.write(new byte[] {1, 0});
      out.write(
          ByteBuffer.allocate(2)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putShort((short) header.length())
              .array());
      out.write(header.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body.array());
    }
  }

  /** Writes doubles as float32. */
  public static void write(Path file, int[] shape, double[] data) throws IOException {
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    write(file, shape, f);
  }
}
