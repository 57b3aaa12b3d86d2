package io.macroscope.dynamics.particles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.sim.BinaryLennardJones;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtendedXyzTest {

  @TempDir Path dir;

  @Test
  void shouldRoundTripSpeciesPositionsAndMacros() throws Exception {
    List<ParticleFrame> frames = BinaryLennardJones.defaults().simulate(3, 0.5, 4);
    Path file = dir.resolve("mix.xyz");
    ExtendedXyz.write(file, frames);
    List<ParticleFrame> back = ExtendedXyz.read(file);
    assertEquals(3, back.size());
    for (int f = 0; f < 3; f++) {
      assertArrayEquals(frames.get(f).positions(), back.get(f).positions(), 1e-5f);
      assertArrayEquals(frames.get(f).species(), back.get(f).species());
      assertEquals(frames.get(f).macro("mixing"), back.get(f).macro("mixing"), 1e-12);
    }
  }

  @Test
  void shouldHonourPropertiesWithTwoColumnsAndExtraColumns() throws Exception {
    Path file = dir.resolve("pixels.xyz");
    Files.writeString(
        file,
        "2\nProperties=pos:R:2:intensity:R:1 stretch=3.5 note=\"two words\" flag\n"
            + "1.0 2.0 0.5\n3 4 0.25\n");
    ParticleFrame f = ExtendedXyz.read(file).get(0);
    assertEquals(2, f.dim());
    assertNull(f.species());
    assertArrayEquals(new float[] {1, 2, 3, 4}, f.positions());
    assertArrayEquals(new float[] {0.5f, 0.25f}, f.columns().get("intensity"));
    assertEquals(3.5, f.macro("stretch"));
    assertEquals("two words", f.info().get("note"));
    assertEquals("true", f.info().get("flag"));
  }

  @Test
  void shouldReadClassicXyzWithoutProperties() throws Exception {
    Path file = dir.resolve("classic.xyz");
    Files.writeString(file, "1\nenergy=-0.2\nAr 0.1 0.2 0.3\n");
    ParticleFrame f = ExtendedXyz.read(file).get(0);
    assertEquals(3, f.dim());
    assertEquals("Ar", f.species()[0]);
  }

  @Test
  void shouldNameFileAndLineOfMalformedInput() throws Exception {
    Path file = dir.resolve("bad.xyz");
    Files.writeString(file, "2\nProperties=pos:R:2\n1 2\n3 x\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExtendedXyz.read(file));
    assertTrue(e.getMessage().startsWith(file + ":4:"), e.getMessage());

    Files.writeString(file, "3\nProperties=pos:R:2\n1 2\n");
    e = assertThrows(IllegalArgumentException.class, () -> ExtendedXyz.read(file));
    assertTrue(e.getMessage().contains("after 1 of 3 particle lines"), e.getMessage());

    Files.writeString(file, "two\n");
    e = assertThrows(IllegalArgumentException.class, () -> ExtendedXyz.read(file));
    assertTrue(e.getMessage().contains(":1: expected the particle count"), e.getMessage());

    Files.writeString(file, "1\nProperties=pos:Q:2\n1 2\n");
    e = assertThrows(IllegalArgumentException.class, () -> ExtendedXyz.read(file));
    assertTrue(e.getMessage().contains("unknown column type"), e.getMessage());
  }
}
