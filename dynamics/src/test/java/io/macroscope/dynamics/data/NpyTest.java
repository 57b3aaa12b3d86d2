package io.macroscope.dynamics.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

  /** A v1 .npy file as NumPy writes it, with the given header dict and data bytes. */
  private static byte[] npy(String dict, byte[] body) {
    String header = dict;
    int total = 10 + header.length() + 1;
    header = header + " ".repeat((64 - total % 64) % 64) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Test
  void shouldRoundTripFloat32(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a.npy");
    float[] data = {1.5f, -2f, 3.25f, 0f, 7f, 8f};
    Npy.write(file, new int[] {3, 2}, data);
    NpyArray read = Npy.read(file);
    assertArrayEquals(new int[] {3, 2}, read.shape());
    assertArrayEquals(data, read.data());
    assertEquals(0, (Files.size(file) - 4L * data.length) % 64, "data starts 64-byte aligned");
  }

  @Test
  void shouldReadUint8AndBigEndianUint16AndFloat64(@TempDir Path dir) throws Exception {
    Path u8 = dir.resolve("u8.npy");
    Files.write(
        u8,
        npy(
            "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }",
            new byte[] {0, 1, (byte) 200, (byte) 255}));
    assertArrayEquals(new float[] {0, 1, 200, 255}, Npy.read(u8).data());

    Path u16 = dir.resolve("u16.npy");
    Files.write(
        u16,
        npy(
            "{'descr': '>u2', 'fortran_order': False, 'shape': (2,), }",
            new byte[] {1, 0, (byte) 0xff, (byte) 0xff}));
    assertArrayEquals(new float[] {256, 65535}, Npy.read(u16).data());

    Path f8 = dir.resolve("f8.npy");
    byte[] body = new byte[8];
    java.nio.ByteBuffer.wrap(body).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(-0.125);
    Files.write(f8, npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", body));
    assertArrayEquals(new float[] {-0.125f}, Npy.read(f8).data());
  }

  @Test
  void shouldNameFileAndDtypeWhenUnsupported(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.npy");
    Files.write(
        file, npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
    assertTrue(e.getMessage().contains("c.npy") && e.getMessage().contains("<c8"), e.getMessage());
  }

  @Test
  void shouldRejectTruncatedAndNonNpyFiles(@TempDir Path dir) throws Exception {
    Path truncated = dir.resolve("t.npy");
    Files.write(
        truncated, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[6]));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Npy.read(truncated))
            .getMessage()
            .contains("truncated"));
    Path text = dir.resolve("x.npy");
    Files.writeString(text, "hello");
    assertThrows(IllegalArgumentException.class, () -> Npy.read(text));
  }
}
