package io.macroscope.streams.model;

import io.macroscope.dynamics.bundle.BundleEncoder;
import io.macroscope.dynamics.bundle.InferenceDevice;
import io.macroscope.dynamics.bundle.Manifest;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.schemas.ModelMethod;
import io.macroscope.schemas.ModelRelease;
import io.macroscope.trainer.ReleaseBundles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a release into a model ready to serve: fetches the zipped bundle (inline or from its URI),
 * checks its SHA-256, unpacks it into the local cache (each file checked against the manifest),
 * opens its networks and runs one inference through each. Any failure is an exception whose message
 * says what was wrong; nothing half-loaded is left open.
 */
public final class ReleaseLoader {

  private final Path cacheDir;
  private final BundleEncoder.Engine engine;
  private final int threads;
  private final InferenceDevice device;

  public ReleaseLoader(
      Path cacheDir, BundleEncoder.Engine engine, int threads, InferenceDevice device) {
    this.cacheDir = cacheDir;
    this.engine = engine;
    this.threads = threads;
    this.device = device;
  }

  /** Fetches, verifies, opens and warms up the bundle of {@code release}. */
  public ServingModel load(ModelRelease release) {
    ModelBundle bundle = ReleaseBundles.fetch(release, cacheDir);
    ModelMethod method =
        bundle.manifest().closure() != null ? ModelMethod.CLOSURE : ModelMethod.DYNAMICS_AE;
    if (method != release.getMethod()) {
      throw new IllegalArgumentException(
          "release says " + release.getMethod() + " but the bundle holds a " + method + " model");
    }
    ServingModel model =
        new ServingModel(
            release.getModelName(), release.getVersion(), bundle, engine, threads, device);
    try {
      warmUp(model);
    } catch (RuntimeException e) {
      model.retire();
      throw new IllegalArgumentException("warm-up inference failed: " + e.getMessage(), e);
    }
    return model;
  }

  /** One inference through every network, so the first real input does not pay for start-up. */
  private static void warmUp(ServingModel model) {
    Manifest manifest = model.manifest();
    float[] z;
    double[] macros = new double[model.macros().size()];
    if (model.method() == ModelMethod.DYNAMICS_AE) {
      z = model.encodeFrames(new float[manifest.input().size()], 1);
    } else {
      Manifest.ClosureSpec spec = manifest.closure();
      Map<String, float[]> columns = new LinkedHashMap<>();
      spec.columns().forEach(c -> columns.put(c, new float[2]));
      Map<String, String> info = new LinkedHashMap<>();
      model.macros().forEach(m -> info.put(m, "0"));
      String[] species =
          spec.species().isEmpty()
              ? null
              : new String[] {spec.species().get(0), spec.species().get(0)};
      z =
          model.encodeSnapshots(
              List.of(
                  new ParticleFrame(
                      2,
                      spec.positionDims(),
                      new float[2 * spec.positionDims()],
                      species,
                      columns,
                      info)));
    }
    for (float v : z) {
      if (!Float.isFinite(v)) {
        throw new IllegalStateException("the encoder produced a non-finite latent state");
      }
    }
    model.forecast(z, macros, 1, 2, 0);
  }
}
