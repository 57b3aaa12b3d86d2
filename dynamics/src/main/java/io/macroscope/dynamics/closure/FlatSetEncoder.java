package io.macroscope.dynamics.closure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.macroscope.dynamics.nn.MlpSpec;

/**
 * The AE-Aug baseline's encoder: the set flattened in its given order (with the slot one-hot per
 * particle when there are several species) into one vector for an MLP. Not permutation invariant
 * and tied to one particle count; same (x, mask) inputs as {@link DeepSetBlock}.
 */
public final class FlatSetEncoder extends AbstractBlock {

  private final MlpSpec spec;
  private final Block net;
  private final int slots;

  public FlatSetEncoder(MlpSpec spec, int slots) {
    this.spec = spec;
    this.slots = slots;
    this.net = addChildBlock("mlp", spec.newBlock());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    if (slots > 1) {
      x = x.concat(inputs.get(1), 2);
    }
    long flat = x.getShape().get(1) * x.getShape().get(2);
    if (flat != spec.inputs()) {
      throw new IllegalArgumentException(
          "the flattened baseline was trained on sets of one size and cannot encode a set of "
              + x.getShape().get(1)
              + " particles");
    }
    return net.forward(store, new NDList(x.reshape(x.getShape().get(0), flat)), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), spec.outputs())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    net.initialize(manager, dataType, new Shape(1, spec.inputs()));
  }
}
