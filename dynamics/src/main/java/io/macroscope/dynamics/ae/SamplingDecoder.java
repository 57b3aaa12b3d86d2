package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.macroscope.dynamics.nn.Scalars;

/**
 * The beta-VAE's decoder path: takes (mean, log-variance), samples z = mean + exp(logvar/2) eps
 * while training (the mean at inference), and decodes z.
 */
final class SamplingDecoder extends AbstractBlock {

  private final int latentDim;
  private final Block decoder;

  SamplingDecoder(int latentDim, Block decoder) {
    this.latentDim = latentDim;
    this.decoder = addChildBlock("decoder", decoder);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray stats = inputs.singletonOrThrow();
    NDArray mu = stats.get(new NDIndex(":, 0:{}", latentDim));
    NDArray z = mu;
    if (training) {
      NDArray std = Scalars.mul(stats.get(new NDIndex(":, {}:", latentDim)), 0.5).exp();
      z = mu.add(std.mul(stats.getManager().randomNormal(mu.getShape())));
    }
    return decoder.forward(store, new NDList(z), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return decoder.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), latentDim)});
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    decoder.initialize(manager, dataType, new Shape(inputShapes[0].get(0), latentDim));
  }
}
