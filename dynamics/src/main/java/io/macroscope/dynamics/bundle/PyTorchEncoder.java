package io.macroscope.dynamics.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;

/** Serves a bundle's encoder on DJL's PyTorch engine from the bundle's DJL parameter file. */
final class PyTorchEncoder implements BundleEncoder {

  private final Manifest manifest;
  private final NDManager manager;
  private final Block block;

  PyTorchEncoder(ModelBundle bundle) {
    this.manifest = bundle.manifest();
    if (manifest.encoderSpec() == null) {
      throw new BundleException(
          bundle.dir()
              + ": this bundle cannot be served on the PyTorch engine (image bundles and bundles"
              + " written by earlier builds carry no DJL encoder); use --engine onnx");
    }
    this.manager = NDManager.newBaseManager("PyTorch");
    this.block = manifest.encoderSpec().newBlock();
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
      return block
          .forward(new ParameterStore(scope, false), new NDList(x), false)
          .singletonOrThrow()
          .toFloatArray();
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
