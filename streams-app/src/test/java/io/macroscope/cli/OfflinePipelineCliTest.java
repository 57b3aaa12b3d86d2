package io.macroscope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.data.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** simulate -> train -> encode -> evaluate through the command line, small budget. */
class OfflinePipelineCliTest {

  @Test
  void shouldSimulateTrainEncodeAndEvaluate(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path model = dir.resolve("model");
    Path z = dir.resolve("z.npy");
    assertEquals(
        0,
        Macroscope.run(
            "simulate", "three-well", "--frames", "6000", "--seed", "4", "--out", data.toString()));
    assertArrayEquals(new int[] {6000, 2}, Npy.read(data.resolve("truth.npy")).shape());

    assertEquals(
        0,
        Macroscope.run(
            "train",
            "dynamics-ae",
            "--input",
            data.resolve("observed.npy").toString(),
            "--epochs",
            "3",
            "--batch",
            "64",
            "--out",
            model.toString()));
    ModelBundle bundle = ModelBundle.read(model);
    assertEquals(2, bundle.manifest().latentDim());

    assertEquals(
        0,
        Macroscope.run(
            "encode",
            "--model",
            model.toString(),
            "--input",
            data.resolve("observed.npy").toString(),
            "--out",
            z.toString()));
    assertArrayEquals(new int[] {6000, 2}, Npy.read(z).shape());

    assertEquals(
        0,
        Macroscope.run(
            "evaluate", "--latent", z.toString(), "--truth", data.resolve("truth.npy").toString()));
  }

  @Test
  void shouldRefuseEncodingWithWrongFeatureCount(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Macroscope.run("simulate", "three-well", "--frames", "3000", "--out", data.toString());
    Macroscope.run(
        "train",
        "dynamics-ae",
        "--input",
        data.resolve("observed.npy").toString(),
        "--epochs",
        "1",
        "--batch",
        "64",
        "--out",
        dir.resolve("model").toString());
    Path wide = dir.resolve("wide.npy");
    Npy.write(wide, new int[] {10, 3}, new float[30]);
    assertEquals(
        2,
        Macroscope.run(
            "encode",
            "--model",
            dir.resolve("model").toString(),
            "--input",
            wide.toString(),
            "--out",
            dir.resolve("z.npy").toString()));
    assertTrue(Files.notExists(dir.resolve("z.npy")));
  }

  @Test
  void shouldSimulateParticleTrajectoriesAsExtendedXyz(@TempDir Path dir) throws Exception {
    Path particles = dir.resolve("particles");
    assertEquals(
        0,
        Macroscope.run(
            "simulate",
            "particles",
            "--trajectories",
            "3",
            "--particles",
            "12",
            "--frames",
            "4",
            "--out",
            particles.toString()));
    var frames =
        io.macroscope.dynamics.particles.ExtendedXyz.read(particles.resolve("traj-00002.xyz"));
    assertEquals(4, frames.size());
    assertEquals(12, frames.get(0).n());
    assertTrue(Double.isFinite(frames.get(3).macro("energy")));

    Path mix = dir.resolve("mix");
    assertEquals(
        0,
        Macroscope.run(
            "simulate",
            "lj-mix",
            "--trajectories",
            "2",
            "--frames",
            "3",
            "--width",
            "6",
            "--height",
            "4",
            "--out",
            mix.toString()));
    var mixed = io.macroscope.dynamics.particles.ExtendedXyz.read(mix.resolve("traj-00000.xyz"));
    assertEquals(
        java.util.List.of("A", "B"), mixed.get(0).speciesLabels().stream().sorted().toList());
    assertTrue(
        Macroscope.run("simulate", "lj-mix", "--boundary", "0.9:0.2", "--out", mix.toString())
            != 0);
  }
}
