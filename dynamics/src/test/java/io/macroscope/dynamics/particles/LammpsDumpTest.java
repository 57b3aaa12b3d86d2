package io.macroscope.dynamics.particles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LammpsDumpTest {

  @TempDir Path dir;

  /** Two frames of a 2-D run (z written as 0), atoms in processor order, with image flags. */
  private static final String TWO_D =
      frame2d(
              0,
              "0.0",
              """
              3 2 0.3 -0.3 0 0.03 0
              1 1 0.1 -0.1 0 0.01 1
              2 1 0.2 -0.2 0 0.02 0
              """)
          + "\n"
          + frame2d(
              100,
              "0.5",
              """
              2 1 1.2 -1.2 0 0.12 0
              3 2 1.3 -1.3 0 0.13 0
              1 1 1.1 -1.1 0 0.11 1
              """);

  /** Two runs: the second repeats step 100 with another value, a warning in between. */
  private static final String LOG =
      """
      LAMMPS (2 Aug 2023)
      thermo 100
      run 100
      Per MPI rank memory allocation (min/avg/max) = 3.1 | 3.1 | 3.1 Mbytes
         Step          Temp          PotEng
               0   1.5           -0.25
      WARNING: Lost atoms? No, a harmless warning line (src/thermo.cpp:500)
             100   1.4           -0.30
      Loop time of 0.01 on 1 procs for 100 steps with 3 atoms
      run 100
         Step          Temp          PotEng
             100   9.9           -9.9
             200   1.3           -0.33
      Loop time of 0.01 on 1 procs for 100 steps with 3 atoms
      """;

  @Test
  void shouldReadA2dRunSortedByIdWithTypesColumnsAndThermoMacros() throws Exception {
    Path dump = write("run.lammpstrj", TWO_D);
    Files.writeString(dir.resolve("run.log"), LOG);

    List<ParticleFrame> frames = LammpsDump.read(dump);

    assertEquals(2, frames.size());
    ParticleFrame first = frames.get(0);
    assertEquals(2, first.dim(), "a constant z is a 2-D run");
    assertArrayEquals(new float[] {0.1f, -0.1f, 0.2f, -0.2f, 0.3f, -0.3f}, first.positions());
    assertArrayEquals(new String[] {"1", "1", "2"}, first.species());
    assertEquals(List.of("vx"), List.copyOf(first.columns().keySet()), "id and ix dropped");
    assertArrayEquals(new float[] {0.01f, 0.02f, 0.03f}, first.columns().get("vx"));
    assertEquals(0.0, first.macro("time"));
    assertEquals(-0.25, first.macro("PotEng"));
    ParticleFrame second = frames.get(1);
    assertArrayEquals(new float[] {1.1f, -1.1f, 1.2f, -1.2f, 1.3f, -1.3f}, second.positions());
    assertEquals(100, second.macro("timestep"));
    assertEquals(-0.30, second.macro("PotEng"), "the first row of a repeated step is kept");
    assertEquals(1.4, second.macro("Temp"));
  }

  @Test
  void shouldReadAllTrajectoriesOfAFolderWhateverTheirFormat() throws Exception {
    write("a.lammpstrj", TWO_D);
    Files.writeString(dir.resolve("a.log"), LOG);
    ExtendedXyz.write(
        dir.resolve("b.xyz"),
        List.of(ParticleFrame.of(1, 2, new float[] {1, 2}, Map.of("PotEng", -0.5))));
    Files.writeString(dir.resolve("notes.txt"), "not a trajectory");

    List<List<ParticleFrame>> all = Trajectories.read(dir);

    assertEquals(2, all.size());
    assertEquals(-0.25, all.get(0).get(0).macro("PotEng"));
    assertEquals(-0.5, all.get(1).get(0).macro("PotEng"));
    assertTrue(Trajectories.isTrajectory(dir.resolve("x.dump")));
    assertFalse(Trajectories.isTrajectory(dir.resolve("run.log")));
  }

  @Test
  void shouldMapScaledCoordinatesThroughTheBoxAndKeep3dWhenZMoves() throws Exception {
    Path dump =
        write(
            "scaled.dump",
            """
            ITEM: TIMESTEP
            7
            ITEM: NUMBER OF ATOMS
            2
            ITEM: BOX BOUNDS pp pp pp
            0 10
            -2 2
            0 4
            ITEM: ATOMS id xs ys zs
            1 0.5 0.25 0.0
            2 0.1 1.0 0.5
            """);

    List<ParticleFrame> frames = LammpsDump.read(dump);

    ParticleFrame f = frames.get(0);
    assertEquals(3, f.dim());
    assertArrayEquals(new float[] {5, -1, 0, 1, 2, 2}, f.positions(), 1e-6f);
    assertEquals(null, f.species(), "no type column, no species");
    assertEquals(Map.of("timestep", "7"), f.info(), "no log beside the dump: no thermo values");
  }

  @Test
  void shouldNameFileAndLineForMalformedDumps() throws Exception {
    String header =
        "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\n";
    assertError(
        "short.lammpstrj", header + "ITEM: ATOMS id x y\n1 0.1 0.2\n2 0.3\n", ":11:", "2 values");
    assertError("nan.lammpstrj", header + "ITEM: ATOMS id x y\n1 0.1 abc\n", ":10:", "'abc'");
    assertError("nopos.lammpstrj", header + "ITEM: ATOMS id type\n", ":9:", "no positions");
    assertError("cut.lammpstrj", header + "ITEM: ATOMS id x y\n1 0.1 0.2\n", ":10:", "1 of 2");
    assertError(
        "tri.lammpstrj",
        header.replace("pp pp pp\n0 1\n0 1\n0 1", "xy xz yz pp pp pp\n0 1 0\n0 1 0\n0 1 0")
            + "ITEM: ATOMS id xs ys\n",
        ":9:",
        "orthogonal box");
    assertError("junk.lammpstrj", "hello\n", ":1:", "expected an ITEM: line");
    assertError("noatoms.lammpstrj", header + header, ":9:", "timestep 0 ends before");
  }

  @Test
  void shouldRefuseAFrameWhoseStepHasNoThermoRow() throws Exception {
    Path dump = write("gap.lammpstrj", TWO_D.replace("100\nITEM: TIME", "150\nITEM: TIME"));
    Files.writeString(dir.resolve("gap.log"), LOG);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LammpsDump.read(dump));

    assertTrue(e.getMessage().contains("gap.lammpstrj:17:"), e.getMessage());
    assertTrue(e.getMessage().contains("timestep 150 has no thermo row in gap.log"));
  }

  @Test
  void shouldRefuseALogWithoutAThermoTable() throws Exception {
    Path dump = write("bare.lammpstrj", TWO_D);
    Files.writeString(dir.resolve("bare.log"), "LAMMPS (2 Aug 2023)\nrun 100\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LammpsDump.read(dump));

    assertTrue(e.getMessage().contains("bare.log: no thermo table"), e.getMessage());
  }

  /** One frame of three atoms in a 10 x 10 box, columns {@code id type x y z vx ix}. */
  private static String frame2d(long step, String time, String atoms) {
    return "ITEM: TIMESTEP\n"
        + step
        + "\nITEM: TIME\n"
        + time
        + "\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n-5 5\n-5 5\n-0.5 0.5\n"
        + "ITEM: ATOMS id type x y z vx ix\n"
        + atoms;
  }

  private void assertError(String name, String text, String line, String reason) throws Exception {
    Path dump = write(name, text);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LammpsDump.read(dump));
    assertTrue(e.getMessage().startsWith(dump + line), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }
}
