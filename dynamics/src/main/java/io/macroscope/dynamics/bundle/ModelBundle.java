package io.macroscope.dynamics.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.macroscope.dynamics.ae.DynamicsAeConfig;
import io.macroscope.dynamics.ae.Networks;
import io.macroscope.dynamics.ae.RegularSpaceClustering;
import io.macroscope.dynamics.ae.TrainedAutoencoder;
import io.macroscope.dynamics.nn.OnnxConvNets;
import io.macroscope.dynamics.nn.OnnxMlp;
import io.macroscope.dynamics.plot.TrainingPlots;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model bundle on disk: a directory with {@code manifest.json} and ONNX files (encoder, decoder,
 * drift). Written atomically (to a temporary sibling, then renamed), so a reader never sees half a
 * bundle; read back with every file's SHA-256 verified.
 */
public record ModelBundle(Path dir, Manifest manifest) {

  public static final int FORMAT_VERSION = 1;
  public static final String MANIFEST = "manifest.json";

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Writes a trained Dynamics-AE to {@code dir} (which must not exist yet).
   *
   * @param version release version to record
   * @param metrics evaluation metrics to record beside the training history
   */
  public static ModelBundle write(
      Path dir,
      TrainedAutoencoder model,
      String version,
      Map<String, Double> metrics,
      float[] inputs) {
    if (Files.exists(dir)) {
      throw new BundleException("bundle directory " + dir + " already exists: choose a new --out");
    }
    if (model.method() != TrainedAutoencoder.Method.DYNAMICS_AE) {
      throw new BundleException("only Dynamics-AE models are bundled; the beta-VAE is a baseline");
    }
    DynamicsAeConfig config = model.config();
    int features = model.inputMean().length;
    Path parent = dir.toAbsolutePath().getParent();
    Path staging;
    try {
      Files.createDirectories(parent);
      staging = Files.createTempDirectory(parent, "." + dir.getFileName() + ".partial-");
      Map<String, Manifest.FileEntry> files = new LinkedHashMap<>();
      int[] image = model.imageShape().orElse(null);
      byte[] encoderOnnx =
          image == null
              ? OnnxMlp.export(
                  Networks.encoder(config, features, config.latentDim()),
                  model.block().encoder(),
                  "encoder",
                  "x",
                  "z")
              : OnnxConvNets.encoder(model.block().encoder(), image[0], config.latentDim());
      byte[] decoderOnnx =
          image == null
              ? OnnxMlp.export(
                  Networks.decoder(config, features), model.block().decoder(), "decoder", "z", "x")
              : config.spots() == 0
                  ? OnnxConvNets.decoder(
                      model.block().decoder(), image[0], config.hidden(), config.latentDim())
                  : OnnxConvNets.splatDecoder(
                      model.block().decoder(),
                      image[0],
                      image[1],
                      image[2],
                      config.spots(),
                      config.latentDim());
      files.put("encoder", writeOnnx(staging, "encoder.onnx", encoderOnnx, "x", "z"));
      files.put("decoder", writeOnnx(staging, "decoder.onnx", decoderOnnx, "z", "x"));
      files.put(
          "drift",
          writeOnnx(
              staging,
              "drift.onnx",
              OnnxMlp.export(
                  Networks.forceField(config), model.forceField().orElseThrow(), "drift", "z", "f"),
              "z",
              "f"));
      if (model.logDiffusion().isPresent()) {
        files.put(
            "diffusion",
            writeOnnx(
                staging,
                "diffusion.onnx",
                OnnxMlp.export(
                    Networks.logDiffusion(config),
                    model.logDiffusion().orElseThrow(),
                    "diffusion",
                    "z",
                    "log_m"),
                "z",
                "log_m"));
      }
      files.put(
          "encoder-pytorch",
          writeParams(staging, "encoder.params", model.block().encoder(), "x", "z"));
      float[] latent = model.encode(inputs, inputs.length / features);
      files.putAll(plots(staging, model, latent));
      Manifest manifest =
          new Manifest(
              FORMAT_VERSION,
              "dynamics-ae",
              version,
              Instant.now().toString(),
              image == null
                  ? new Manifest.InputSpec("vector", List.of(features))
                  : new Manifest.InputSpec("image", List.of(image[0], image[1], image[2])),
              config.latentDim(),
              List.of(),
              1.0,
              new Manifest.Diffusion(
                  "overdamped-langevin",
                  DynamicsAeConfig.DIFFUSION,
                  model.logDiffusion().isEmpty()),
              new Manifest.Normalization(toList(model.inputMean()), toList(model.inputScale())),
              files,
              training(config, model.history(), metrics),
              support(latent, config.latentDim()),
              null,
              image == null ? Networks.encoder(config, features, config.latentDim()) : null,
              null);
      JSON.writeValue(staging.resolve(MANIFEST).toFile(), manifest);
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      return new ModelBundle(dir, manifest);
    } catch (IOException e) {
      throw new BundleException("cannot write bundle " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the bundle in {@code dir} and verifies every file's SHA-256.
   *
   * @throws BundleException naming the file when something is missing, malformed or altered
   */
  public static ModelBundle read(Path dir) {
    Path manifestFile = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new BundleException(dir + " is not a model bundle: no " + MANIFEST);
    }
    Manifest manifest;
    try {
      manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
    } catch (IOException e) {
      throw new BundleException(manifestFile + " is not a valid manifest: " + e.getMessage(), e);
    }
    if (manifest.formatVersion() != FORMAT_VERSION) {
      throw new BundleException(
          manifestFile + ": unsupported bundle format version " + manifest.formatVersion());
    }
    for (var entry : manifest.files().entrySet()) {
      Path file = dir.resolve(entry.getValue().path());
      String actual = sha256(file);
      if (!actual.equals(entry.getValue().sha256())) {
        throw new BundleException(
            file
                + ": SHA-256 "
                + actual
                + " does not match the manifest's "
                + entry.getValue().sha256());
      }
    }
    return new ModelBundle(dir, manifest);
  }

  /**
   * Path of a network file named in the manifest ({@code encoder}, {@code decoder}, {@code drift}).
   */
  public Path file(String name) {
    Manifest.FileEntry entry = manifest.files().get(name);
    if (entry == null) {
      throw new BundleException(dir + ": the bundle has no " + name + " network");
    }
    return dir.resolve(entry.path());
  }

  /**
   * An ONNX Runtime session of the network {@code name} with {@code threads} intra-op threads on
   * {@code device}.
   *
   * @throws BundleException naming the file when it is missing or does not load
   */
  public ai.onnxruntime.OrtSession session(String name, int threads, InferenceDevice device) {
    Path file = file(name);
    try {
      return ai.onnxruntime.OrtEnvironment.getEnvironment()
          .createSession(file.toString(), device.sessionOptions(threads));
    } catch (ai.onnxruntime.OrtException e) {
      throw new BundleException("cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * PNG plots: loss curves, and for d = 2 the latent trajectory with the learned force field and
   * (Dynamics-AE) the latent bins.
   */
  private static Map<String, Manifest.FileEntry> plots(
      Path dir, TrainedAutoencoder model, float[] latent) throws IOException {
    Map<String, Manifest.FileEntry> plots = new LinkedHashMap<>();
    Path losses = dir.resolve("losses.png");
    TrainingPlots.losses(losses, model.history());
    plots.put("plot-losses", new Manifest.FileEntry("losses.png", sha256(losses), null, null));
    if (model.config().latentDim() == 2) {
      Path file = dir.resolve("latent.png");
      TrainingPlots.latent(
          file,
          latent,
          latent.length / 2,
          (a, b) -> model.force(new float[] {a, b}, 1),
          "latent trajectory (blue = early, red = late) and learned force field");
      plots.put("plot-latent", new Manifest.FileEntry("latent.png", sha256(file), null, null));
      if (model.method() == TrainedAutoencoder.Method.DYNAMICS_AE) {
        // The bins of the final latent space, as the next epoch's well-tempered batching would
        // see them. A latent spread too wide for d_min has no bins worth drawing.
        double dMin = model.config().dMin();
        try {
          RegularSpaceClustering.Result bins =
              RegularSpaceClustering.cluster(latent, latent.length / 2, 2, dMin);
          Path clusters = dir.resolve("clusters.png");
          TrainingPlots.clusters(
              clusters,
              latent,
              latent.length / 2,
              bins.centres(),
              bins.labels(),
              bins.counts(),
              dMin);
          plots.put(
              "plot-clusters",
              new Manifest.FileEntry("clusters.png", sha256(clusters), null, null));
        } catch (IllegalStateException tooManyCentres) {
          // no plot: the manifest simply lists none
        }
      }
    }
    return plots;
  }

  static Manifest.FileEntry writeParams(
      Path dir, String name, ai.djl.nn.Block block, String input, String output)
      throws IOException {
    Path file = dir.resolve(name);
    try (java.io.DataOutputStream out =
        new java.io.DataOutputStream(
            new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      block.saveParameters(out);
    }
    return new Manifest.FileEntry(name, sha256(file), input, output);
  }

  static Manifest.FileEntry writeOnnx(
      Path dir, String name, byte[] onnx, String input, String output) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, onnx);
    return new Manifest.FileEntry(name, sha256(file), input, output);
  }

  /** Hex SHA-256 of a file. */
  public static String sha256(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new BundleException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> training(Object config, List<?> history, Map<String, Double> metrics) {
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("config", config);
    training.put("epochs", history);
    training.put("metrics", metrics);
    return training;
  }

  static Manifest.LatentSupport support(float[] z, int d) {
    int n = z.length / d;
    List<Double> mean = new ArrayList<>();
    List<Double> std = new ArrayList<>();
    List<Double> min = new ArrayList<>();
    List<Double> max = new ArrayList<>();
    for (int a = 0; a < d; a++) {
      double sum = 0;
      double sq = 0;
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        double v = z[i * d + a];
        sum += v;
        sq += v * v;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      double m = sum / n;
      mean.add(m);
      std.add(Math.sqrt(Math.max(0, sq / n - m * m)));
      min.add(lo);
      max.add(hi);
    }
    return new Manifest.LatentSupport(mean, std, min, max);
  }

  static List<Double> toList(float[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (float v : values) {
      list.add((double) v);
    }
    return list;
  }
}
