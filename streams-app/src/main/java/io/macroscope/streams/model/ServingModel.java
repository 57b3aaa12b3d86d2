package io.macroscope.streams.model;

import io.macroscope.dynamics.bundle.BundleEncoder;
import io.macroscope.dynamics.bundle.ClosureForecaster;
import io.macroscope.dynamics.bundle.DynamicsAeForecaster;
import io.macroscope.dynamics.bundle.InferenceDevice;
import io.macroscope.dynamics.bundle.Manifest;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.schemas.ModelMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model bundle, ready to serve: the encoder for its kind of input (frames for a
 * Dynamics-AE, particle snapshots for a closure model) and the learned SDE to roll forward.
 *
 * <p>Reference-counted: users {@link #retain()} it for the span of a call and {@link #release()} it
 * afterwards; a model replaced by a newer release is {@link #retire() retired} and its native
 * sessions are closed once the last user lets go, so a hot swap never closes a session in use.
 */
public final class ServingModel {

  private final String name;
  private final String version;
  private final ModelBundle bundle;
  private final ModelMethod method;
  private final List<String> components;
  private final BundleEncoder frameEncoder;
  private final DynamicsAeForecaster aeForecaster;
  private final ClosureForecaster closure;
  // 1 for the catalog's own reference, dropped by retire()
  private final AtomicInteger references = new AtomicInteger(1);

  /**
   * Opens the networks of {@code bundle}.
   *
   * @param name model line
   * @param version release version
   * @param engine engine of a Dynamics-AE encoder (closure models are served by ONNX Runtime)
   * @param device where ONNX Runtime sessions run
   */
  public ServingModel(
      String name,
      String version,
      ModelBundle bundle,
      BundleEncoder.Engine engine,
      int threads,
      InferenceDevice device) {
    this.name = name;
    this.version = version;
    this.bundle = bundle;
    Manifest manifest = bundle.manifest();
    List<String> names = new ArrayList<>();
    for (int k = 0; k < manifest.latentDim(); k++) {
      names.add("z" + k);
    }
    if (manifest.closure() != null) {
      this.method = ModelMethod.CLOSURE;
      this.closure = new ClosureForecaster(bundle, threads, device);
      this.frameEncoder = null;
      this.aeForecaster = null;
      names.addAll(manifest.macroNames());
    } else {
      this.method = ModelMethod.DYNAMICS_AE;
      this.closure = null;
      this.frameEncoder = BundleEncoder.open(bundle, engine, threads, device);
      try {
        this.aeForecaster = new DynamicsAeForecaster(bundle, threads, device);
      } catch (RuntimeException e) {
        frameEncoder.close();
        throw e;
      }
    }
    this.components = List.copyOf(names);
  }

  public String name() {
    return name;
  }

  /** Release version (named in every output). */
  public String version() {
    return version;
  }

  public ModelMethod method() {
    return method;
  }

  public Manifest manifest() {
    return bundle.manifest();
  }

  /** Names of the state components, in forecast order: z0..z(d-1), then macros (closure). */
  public List<String> components() {
    return components;
  }

  public int latentDim() {
    return bundle.manifest().latentDim();
  }

  /** Macro observables that are part of the state (closure models; empty for Dynamics-AE). */
  public List<String> macros() {
    return bundle.manifest().macroNames();
  }

  /**
   * Why a frame of this shape cannot be encoded by this model, or null if it can.
   *
   * @param channels C
   * @param height H
   * @param width W
   */
  public String frameShapeProblem(int channels, int height, int width) {
    if (frameEncoder == null) {
      return "model "
          + name
          + " "
          + version()
          + " is a closure model and encodes particle snapshots, not frames";
    }
    Manifest.InputSpec input = bundle.manifest().input();
    if ("image".equals(input.kind())) {
      List<Integer> shape = input.shape();
      if (shape.get(0) != channels || shape.get(1) != height || shape.get(2) != width) {
        return "frame shape (C,H,W)=("
            + channels
            + ","
            + height
            + ","
            + width
            + ") but model "
            + version()
            + " expects "
            + shape;
      }
      return null;
    }
    long size = (long) channels * height * width;
    return size == input.size()
        ? null
        : "frame has "
            + size
            + " values but model "
            + version()
            + " expects vectors of "
            + input.size();
  }

  /** Why snapshots cannot be encoded by this model, or null if they can. */
  public String snapshotProblem(ParticleFrame frame) {
    if (closure == null) {
      return "model "
          + name
          + " "
          + version()
          + " is a Dynamics-AE and encodes frames, not particle snapshots";
    }
    Manifest.ClosureSpec spec = bundle.manifest().closure();
    if (frame.dim() != spec.positionDims()) {
      return "snapshot has "
          + frame.dim()
          + "-D positions but model "
          + version()
          + " expects "
          + spec.positionDims();
    }
    for (String m : macros()) {
      if (!frame.info().containsKey(m)) {
        return "snapshot lacks macro '"
            + m
            + "' that model "
            + version()
            + " needs as initial state";
      }
    }
    for (String c : spec.columns()) {
      if (!frame.columns().containsKey(c)) {
        return "snapshot lacks per-particle feature '" + c + "' that model " + version() + " reads";
      }
    }
    return null;
  }

  /** Latent rows (n x d) of {@code n} raw frames (row-major, C*H*W values each). */
  public float[] encodeFrames(float[] pixels, int n) {
    return frameEncoder.encode(pixels, n);
  }

  /**
   * Species labels of the model in slot order; a snapshot's species index i names label i (empty:
   * the model pools all particles together).
   */
  public List<String> speciesLabels() {
    return closure == null ? List.of() : bundle.manifest().closure().species();
  }

  /** Latent rows (n x d) of particle snapshots. */
  public float[] encodeSnapshots(List<ParticleFrame> frames) {
    return closure.encode(frames);
  }

  /**
   * Ensemble rollouts from a state.
   *
   * @param z latent coordinates
   * @param macros macro values in {@link #macros()} order (empty for Dynamics-AE)
   * @return [member][step 0..horizon][component] in {@link #components()} order
   */
  public double[][][] forecast(float[] z, double[] macros, int horizon, int ensemble, long seed) {
    return closure != null
        ? closure.forecastState(z, macros, horizon, ensemble, seed)
        : aeForecaster.forecast(z, horizon, ensemble, seed);
  }

  /** Model time per step. */
  public double dt() {
    return bundle.manifest().dt();
  }

  /** Distance of {@code z} to the training support, or null if the bundle records none. */
  public Double supportDistance(float[] z) {
    Manifest.LatentSupport support = bundle.manifest().latentSupport();
    return support == null ? null : support.distance(z);
  }

  /** Takes a reference; false if the model is already closed (take the catalog's current one). */
  public boolean retain() {
    while (true) {
      int n = references.get();
      if (n == 0) {
        return false;
      }
      if (references.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference taken by {@link #retain()}. */
  public void release() {
    if (references.decrementAndGet() == 0) {
      closeSessions();
    }
  }

  /** Drops the catalog's reference: closes as soon as no call uses the model. */
  public void retire() {
    release();
  }

  private void closeSessions() {
    if (frameEncoder != null) {
      frameEncoder.close();
      aeForecaster.close();
    }
    if (closure != null) {
      closure.close();
    }
  }

  @Override
  public String toString() {
    return name + " " + version() + " (" + method + ")";
  }
}
