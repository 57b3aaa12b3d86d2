package io.macroscope.dynamics.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.macroscope.dynamics.ae.ConvNets;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Serves a bundle's encoder on DJL's PyTorch engine from the bundle's DJL parameter file: the fully
 * connected encoder rebuilt from the manifest's {@code encoderSpec}, or the reference convolutional
 * encoder for image bundles (its width n from the recorded training config). A bundle aligned to an
 * earlier release applies the recorded z' = R z + t after the network, as its ONNX encoder does.
 */
final class PyTorchEncoder implements BundleEncoder {

  private final Manifest manifest;
  private final NDManager manager;
  private final Block block;
  private final LatentAlignment alignment;

  PyTorchEncoder(ModelBundle bundle) {
    this.manifest = bundle.manifest();
    if (!manifest.files().containsKey("encoder-pytorch")) {
      throw new BundleException(
          bundle.dir()
              + ": this bundle cannot be served on the PyTorch engine (it carries no DJL encoder:"
              + " written by an earlier build, or aligned twice); use --engine onnx");
    }
    this.block = newBlock(bundle);
    this.alignment =
        manifest.alignment() == null
            ? null
            : LatentAlignment.of(manifest.alignment(), manifest.latentDim());
    this.manager = NDManager.newBaseManager("PyTorch");
    block.initialize(manager, DataType.FLOAT32, new Shape(1, manifest.input().size()));
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(Files.newInputStream(bundle.file("encoder-pytorch"))))) {
      block.loadParameters(manager, in);
    } catch (IOException | ai.djl.MalformedModelException e) {
      manager.close();
      throw new BundleException(
          "cannot load " + bundle.file("encoder-pytorch") + ": " + e.getMessage(), e);
    }
  }

  private static Block newBlock(ModelBundle bundle) {
    Manifest m = bundle.manifest();
    if (!"image".equals(m.input().kind())) {
      if (m.encoderSpec() == null) {
        throw new BundleException(bundle.dir() + ": the manifest has no encoderSpec");
      }
      return m.encoderSpec().newBlock();
    }
    List<Integer> shape = m.input().shape();
    Object config = m.training() == null ? null : m.training().get("config");
    if (!(config instanceof Map<?, ?> c) || !(c.get("hidden") instanceof Number hidden)) {
      throw new BundleException(
          bundle.dir() + ": the manifest's training.config records no hidden width n");
    }
    return ConvNets.encoder(
        shape.get(0), shape.get(1), shape.get(2), hidden.intValue(), m.latentDim());
  }

  @Override
  public int features() {
    return manifest.input().size();
  }

  @Override
  public int latentDim() {
    return manifest.latentDim();
  }

  @Override
  public float[] encode(float[] inputs, int n) {
    if (inputs.length != n * features()) {
      throw new IllegalArgumentException(
          "expected " + n + " x " + features() + " values, got " + inputs.length);
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray x =
          scope.create(BundleEncoder.normalize(manifest, inputs, n), new Shape(n, features()));
      float[] z =
          block
              .forward(new ParameterStore(scope, false), new NDList(x), false)
              .singletonOrThrow()
              .toFloatArray();
      return alignment == null ? z : alignment.apply(z, n);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
