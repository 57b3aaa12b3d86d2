package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Encoder and decoder as one trainable block: forward(x) returns [z, reconstruction of x]. */
public final class AutoencoderBlock extends AbstractBlock {

  private final Block encoder;
  private final Block decoder;

  public AutoencoderBlock(Block encoder, Block decoder) {
    this.encoder = addChildBlock("encoder", encoder);
    this.decoder = addChildBlock("decoder", decoder);
  }

  public Block encoder() {
    return encoder;
  }

  public Block decoder() {
    return decoder;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList z = encoder.forward(store, inputs, training);
    NDList reconstruction = decoder.forward(store, z, training);
    return new NDList(z.singletonOrThrow(), reconstruction.singletonOrThrow());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] z = encoder.getOutputShapes(inputShapes);
    return new Shape[] {z[0], decoder.getOutputShapes(z)[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    decoder.initialize(manager, dataType, encoder.getOutputShapes(inputShapes));
  }
}
