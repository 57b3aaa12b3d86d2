package io.macroscope.dynamics.bundle;

import io.macroscope.dynamics.nn.OnnxAffine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a bundle whose latent coordinates are those of another release, z' = R z + t (see {@link
 * LatentAlignment}).
 *
 * <ul>
 *   <li>Dynamics-AE: the isometry is folded into the ONNX encoder (after its output), decoder
 *       (before its input) and drift (f'(z') = R f(R^T (z' - t))); the constant isotropic diffusion
 *       is unchanged by an isometry.
 *   <li>Closure: the isometry is folded into the ONNX encoder; the drift and the diagonal diffusion
 *       act on the model's own normalised state (a rotated diagonal diffusion is no longer
 *       diagonal), so {@link ClosureForecaster} maps an aligned state back with R^-1 (z' - t)
 *       before a rollout and the rolled-out latents forward again, an exact change of coordinates.
 *       The flow decoder keeps the model's own coordinates (it is not served).
 * </ul>
 *
 * The manifest records the alignment, the new version and the transformed latent support. The
 * PyTorch-engine copy of the encoder is carried over unchanged and applies the recorded alignment
 * after its output; a bundle aligned again (its own encoder already aligned) drops it, since the
 * manifest records only the last alignment, and serves on ONNX Runtime.
 */
public final class BundleAligner {

  private BundleAligner() {}

  public static ModelBundle align(
      ModelBundle source, Path dir, LatentAlignment alignment, String version, String parent) {
    Manifest m = source.manifest();
    boolean closure = m.closure() != null;
    if (!closure && !alignment.isometry()) {
      throw new BundleException(
          "a Dynamics-AE latent has a fixed metric (its diffusion convention): only an isometry"
              + " can align it");
    }
    if (!closure && !m.diffusion().constant()) {
      // A rotated diagonal diffusion is no longer diagonal; the bundle format holds diagonal ones.
      throw new BundleException(
          "a Dynamics-AE with position-dependent diffusion cannot be aligned: its diagonal"
              + " diffusion would not stay diagonal under the rotation");
    }
    if (m.latentDim() != alignment.dim()) {
      throw new BundleException(
          "alignment is for d = " + alignment.dim() + ", the bundle has d = " + m.latentDim());
    }
    if (Files.exists(dir)) {
      throw new BundleException("bundle directory " + dir + " already exists");
    }
    double[] r = alignment.rotation();
    double[] t = alignment.shift();
    Path parentDir = dir.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parentDir);
      Path staging = Files.createTempDirectory(parentDir, "." + dir.getFileName() + ".partial-");
      Map<String, Manifest.FileEntry> files = new LinkedHashMap<>();
      for (var e : m.files().entrySet()) {
        Manifest.FileEntry f = e.getValue();
        Path from = source.dir().resolve(f.path());
        if (e.getKey().equals("encoder-pytorch") && m.alignment() != null) {
          continue; // the DJL copy would need both alignments; the manifest keeps only the last
        }
        switch (e.getKey()) {
          case "encoder" ->
              files.put(
                  "encoder",
                  ModelBundle.writeOnnx(
                      staging,
                      f.path(),
                      OnnxAffine.afterOutput(Files.readAllBytes(from), f.output(), r, t),
                      f.input(),
                      f.output()));
          case "decoder", "drift" -> {
            if (closure) {
              Files.copy(from, staging.resolve(f.path()), StandardCopyOption.REPLACE_EXISTING);
              files.put(e.getKey(), f);
            } else {
              byte[] inner = OnnxAffine.beforeInput(Files.readAllBytes(from), f.input(), r, t);
              files.put(
                  e.getKey(),
                  ModelBundle.writeOnnx(
                      staging,
                      f.path(),
                      e.getKey().equals("drift")
                          ? OnnxAffine.afterOutput(inner, f.output(), r, null)
                          : inner,
                      f.input(),
                      f.output()));
            }
          }
          default -> {
            Files.copy(from, staging.resolve(f.path()), StandardCopyOption.REPLACE_EXISTING);
            files.put(e.getKey(), f);
          }
        }
      }
      Map<String, Object> described = new LinkedHashMap<>(alignment.describe());
      if (parent != null) {
        described.put("parentVersion", parent);
      }
      Manifest aligned =
          new Manifest(
              m.formatVersion(),
              m.method(),
              version,
              java.time.Instant.now().toString(),
              m.input(),
              m.latentDim(),
              m.macroNames(),
              m.dt(),
              m.diffusion(),
              m.normalization(),
              files,
              m.training(),
              m.latentSupport() == null ? null : support(m.latentSupport(), alignment),
              described,
              m.encoderSpec(),
              m.closure());
      ModelBundle.JSON.writeValue(staging.resolve(ModelBundle.MANIFEST).toFile(), aligned);
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      return new ModelBundle(dir, aligned);
    } catch (IOException e) {
      throw new BundleException("cannot write aligned bundle " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The training support in aligned coordinates: the mean maps exactly; the box is the bounding box
   * of the mapped corners (conservative); the spreads are those of independent coordinates.
   */
  static Manifest.LatentSupport support(Manifest.LatentSupport s, LatentAlignment a) {
    int d = a.dim();
    double[] r = a.rotation();
    float[] mean = new float[d];
    for (int k = 0; k < d; k++) {
      mean[k] = s.mean().get(k).floatValue();
    }
    float[] newMean = a.apply(mean, 1);
    List<Double> std = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      double var = 0;
      for (int k = 0; k < d; k++) {
        var += r[i * d + k] * r[i * d + k] * s.std().get(k) * s.std().get(k);
      }
      std.add(Math.sqrt(var));
    }
    double[] lo = new double[d];
    double[] hi = new double[d];
    java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    float[] corner = new float[d];
    for (int c = 0; c < (1 << d); c++) {
      for (int k = 0; k < d; k++) {
        corner[k] = ((c >> k) & 1) == 0 ? s.min().get(k).floatValue() : s.max().get(k).floatValue();
      }
      float[] mapped = a.apply(corner, 1);
      for (int k = 0; k < d; k++) {
        lo[k] = Math.min(lo[k], mapped[k]);
        hi[k] = Math.max(hi[k], mapped[k]);
      }
    }
    List<Double> meanList = new ArrayList<>();
    List<Double> minList = new ArrayList<>();
    List<Double> maxList = new ArrayList<>();
    for (int k = 0; k < d; k++) {
      meanList.add((double) newMean[k]);
      minList.add(lo[k]);
      maxList.add(hi[k]);
    }
    return new Manifest.LatentSupport(meanList, std, minList, maxList);
  }
}
