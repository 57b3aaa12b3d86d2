package io.macroscope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.data.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        0, trainDynamicsAe(data.resolve("observed.npy"), model, "--epochs", "3", "--batch", "64"));
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
            "evaluate",
            "--latent",
            z.toString(),
            "--truth",
            data.resolve("truth.npy").toString(),
            "--plot",
            dir.resolve("latent.png").toString()));
    var png = javax.imageio.ImageIO.read(dir.resolve("latent.png").toFile());
    assertEquals(800, png.getWidth());
  }

  @Test
  void shouldTurnAMovieIntoSetTrajectoriesWithMacros(@TempDir Path dir) throws Exception {
    Path movie = dir.resolve("movie");
    Path sets = dir.resolve("sets");
    assertEquals(
        0,
        Macroscope.run(
            "simulate", "blob-video", "--frames", "120", "--seed", "2", "--out", movie.toString()));
    assertEquals(
        0,
        Macroscope.run(
            "images-to-sets",
            "--input",
            movie.resolve("frames.npy").toString(),
            "--macros",
            movie.resolve("truth.npy").toString(),
            "--macro-names",
            "x,y",
            "--segment",
            "50",
            "--out",
            sets.toString()));
    var trajectories = io.macroscope.dynamics.particles.Trajectories.read(sets);
    assertEquals(3, trajectories.size(), "50 + 50 + 20 frames");
    assertEquals(20, trajectories.get(2).size());
    var first = trajectories.get(0).get(0);
    float[] truth = Npy.read(movie.resolve("truth.npy")).data();
    assertEquals(truth[0], first.macro("x"), 1e-6);
    assertEquals(truth[1], first.macro("y"), 1e-6);
    assertTrue(first.columns().containsKey("intensity"));
    // the pixel cloud sits around the spot (truth is in potential units; frames map it to pixels)
    assertTrue(first.n() > 5 && first.n() < 64 * 64 / 4, "particles " + first.n());
    // bad input: one line, exit 2
    assertEquals(
        2,
        Macroscope.run(
            "images-to-sets",
            "--input",
            movie.resolve("frames.npy").toString(),
            "--macro-names",
            "x",
            "--out",
            dir.resolve("other").toString()));
    assertEquals(
        2,
        Macroscope.run(
            "images-to-sets",
            "--input",
            movie.resolve("truth.npy").toString(),
            "--out",
            dir.resolve("other2").toString()));
  }

  @Test
  void shouldRefuseEncodingWithWrongFeatureCount(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Macroscope.run("simulate", "three-well", "--frames", "3000", "--out", data.toString());
    trainDynamicsAe(
        data.resolve("observed.npy"), dir.resolve("model"), "--epochs", "1", "--batch", "64");
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
  void shouldTrainOnAMovieWithTheImageSchedule(@TempDir Path dir) throws Exception {
    Path movie = dir.resolve("movie");
    Path model = dir.resolve("model");
    Macroscope.run(
        "simulate", "blob-video", "--frames", "200", "--seed", "3", "--out", movie.toString());
    assertEquals(
        0,
        // 200 frames are too few for bins of 64 at the default d_min once the latent is rescaled:
        // one wide bin here.
        trainDynamicsAe(
            movie.resolve("frames.npy"),
            model,
            "--epochs",
            "2",
            "--hidden",
            "32",
            "--dmin",
            "100"));
    var config =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(model.resolve("manifest.json").toFile())
            .at("/training/config");
    assertEquals(64, config.get("batchSize").asInt(), config.toString());
    assertEquals(3e-4, config.get("learningRate").asDouble(), 1e-9);
    assertEquals(1e-3, config.get("warmupLearningRate").asDouble(), 1e-9);
    assertTrue(config.get("rescaleAfterWarmup").asBoolean(), config.toString());
    assertEquals("UNIT_RANGE", config.get("scaling").asText());
    // The splat decoder with one spot; the 3 warm-up epochs of frames cut to epochs - 1.
    assertEquals(1, config.get("spots").asInt(), config.toString());
    assertEquals(1, config.get("warmupEpochs").asInt(), config.toString());
    assertTrue(Files.size(model.resolve("decoder.onnx")) > 0);
  }

  @Test
  void shouldRefuseMoreWarmUpEpochsThanEpochs(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Macroscope.run("simulate", "three-well", "--frames", "600", "--out", data.toString());
    assertEquals(
        2,
        trainDynamicsAe(
            data.resolve("observed.npy"),
            dir.resolve("model"),
            "--epochs",
            "2",
            "--warmup-epochs",
            "3"));
    assertTrue(Files.notExists(dir.resolve("model")));
  }

  @Test
  void shouldTrainAPositionDependentDiffusionOnDataWithVaryingMobility(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    assertEquals(
        0,
        Macroscope.run(
            "simulate",
            "three-well",
            "--frames",
            "3000",
            "--mobility",
            "0.5",
            "--out",
            data.toString()));
    Path observed = data.resolve("observed.npy");
    assertEquals(2, trainDynamicsAe(observed, dir.resolve("bad"), "--diffusion", "sideways"));
    assertTrue(Files.notExists(dir.resolve("bad")));
    Path model = dir.resolve("model");
    assertEquals(
        0,
        trainDynamicsAe(
            observed, model, "--epochs", "2", "--batch", "64", "--diffusion", "position"));
    ModelBundle bundle = ModelBundle.read(model);
    assertTrue(!bundle.manifest().diffusion().constant());
    assertTrue(Files.exists(bundle.file("diffusion")));
    var config =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(model.resolve("manifest.json").toFile())
            .at("/training/config");
    assertEquals("POSITION", config.get("diffusion").asText(), config.toString());
  }

  /** {@code macroscope train dynamics-ae --input INPUT --out OUT OPTIONS...}; the exit code. */
  private static int trainDynamicsAe(Path input, Path out, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of("train", "dynamics-ae", "--input", input.toString(), "--out", out.toString()));
    args.addAll(List.of(options));
    return Macroscope.run(args.toArray(String[]::new));
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

  @Test
  void shouldTrainClosureThenForecastAndEvaluateFromFiles(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("particles");
    Path bundle = dir.resolve("closure");
    Path csv = dir.resolve("out/forecast.csv");
    assertEquals(
        0,
        Macroscope.run(
            "simulate",
            "particles",
            "--trajectories",
            "6",
            "--particles",
            "15",
            "--frames",
            "16",
            "--dt",
            "0.03",
            "--out",
            data.toString()));
    assertEquals(
        0,
        Macroscope.run(
            "train",
            "closure",
            "--input",
            data.toString(),
            "--macro",
            "energy",
            "--ode",
            "--epochs",
            "1",
            "--dynamics-epochs",
            "3",
            "--unroll",
            "3",
            "--align",
            "--dynamics-restarts",
            "2",
            "--out",
            bundle.toString()));
    assertTrue(java.nio.file.Files.exists(bundle.resolve("encoder.onnx")));
    var spec = io.macroscope.dynamics.bundle.ModelBundle.read(bundle).manifest().closure();
    assertTrue(spec.centered() && spec.aligned(), "--align (which centres) is recorded");
    assertEquals(
        java.util.List.of(128, 128),
        spec.dynamics().hidden(),
        "two drifts averaged in one net by default");
    Path xyz = data.resolve("traj-00001.xyz");
    assertEquals(0, forecast(bundle, xyz, csv));
    java.util.List<String> lines = java.nio.file.Files.readAllLines(csv);
    assertEquals("step,energy_mean,energy_q05,energy_q50,energy_q95", lines.get(0));
    assertEquals(12, lines.size());
    var frames = io.macroscope.dynamics.particles.ExtendedXyz.read(xyz);
    assertEquals(
        frames.get(0).macro("energy"), Double.parseDouble(lines.get(1).split(",")[1]), 1e-6);
    assertTrue(java.nio.file.Files.exists(dir.resolve("out/forecast-energy.png")));
    // the same trajectory as a LAMMPS dump (2-D run, atoms in reverse order) + its thermo log
    Path dump = dir.resolve("lammps/traj.lammpstrj");
    writeLammps(frames, dump);
    Path fromDump = dir.resolve("out/from-dump.csv");
    assertEquals(0, forecast(bundle, dump, fromDump, "--no-plot"));
    assertEquals(lines, java.nio.file.Files.readAllLines(fromDump));
    assertEquals(
        0, Macroscope.run("evaluate", "--model", bundle.toString(), "--input", data.toString()));
    // wrong macro name, a non-closure bundle argument mix, and a missing file: one line, non-zero
    assertTrue(
        Macroscope.run(
                "train",
                "closure",
                "--input",
                data.toString(),
                "--macro",
                "nope",
                "--out",
                dir.resolve("x").toString())
            != 0);
    assertTrue(Macroscope.run("evaluate", "--model", bundle.toString()) != 0);
    assertTrue(forecast(bundle, dir.resolve("missing.xyz"), csv) != 0);
  }

  /** {@code forecast} of 10 steps with 4 members from the first frame of {@code input}. */
  private static int forecast(Path bundle, Path input, Path csv, String... more) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "forecast",
                "--model",
                bundle.toString(),
                "--input",
                input.toString(),
                "--horizon",
                "10",
                "--ensemble",
                "4",
                "--out",
                csv.toString()));
    args.addAll(java.util.List.of(more));
    return Macroscope.run(args.toArray(String[]::new));
  }

  /** A {@code dump custom ... id type x y z} file and a log with a {@code Step energy} table. */
  private static void writeLammps(
      java.util.List<io.macroscope.dynamics.particles.ParticleFrame> frames, Path dump)
      throws java.io.IOException {
    StringBuilder atoms = new StringBuilder();
    StringBuilder log = new StringBuilder("LAMMPS (test)\n   Step   energy\n");
    for (int t = 0; t < frames.size(); t++) {
      var f = frames.get(t);
      atoms.append("ITEM: TIMESTEP\n").append(10 * t).append("\nITEM: NUMBER OF ATOMS\n");
      atoms.append(f.n()).append("\nITEM: BOX BOUNDS pp pp pp\n-9 9\n-9 9\n-0.5 0.5\n");
      atoms.append("ITEM: ATOMS id type x y z\n");
      for (int i = f.n() - 1; i >= 0; i--) {
        atoms.append(i + 1).append(" 1 ").append(f.positions()[2 * i]).append(' ');
        atoms.append(f.positions()[2 * i + 1]).append(" 0\n");
      }
      log.append(10 * t).append(' ').append(f.macro("energy")).append('\n');
    }
    java.nio.file.Files.createDirectories(dump.getParent());
    java.nio.file.Files.writeString(dump, atoms);
    java.nio.file.Files.writeString(dump.resolveSibling("traj.log"), log);
  }
}
