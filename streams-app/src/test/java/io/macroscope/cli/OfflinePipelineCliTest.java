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
}
