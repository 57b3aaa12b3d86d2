package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.macroscope.dynamics.nn.Scalars;

/**
 * Encoder and decoder as one trainable block: forward(x) returns [z, reconstruction of x].
 *
 * <p>A fixed latent gain g (1 unless set) sits between them: z = g e(x), reconstruction = d(z / g)
 * = d(e(x)). It puts the latent on a new scale without touching the parameters, so Adam's steps,
 * which have a fixed size, keep the relative effect they had; {@link LatentRescale#fold} moves the
 * gain into the weights when training ends, so that the encoder and decoder blocks alone (as
 * exported) compute z and the reconstruction again.
 */
public final class AutoencoderBlock extends AbstractBlock {

  private final Block encoder;
  private final Block decoder;
  private double latentGain = 1;

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

  /** The gain g between encoder and decoder (1 once folded). */
  public double latentGain() {
    return latentGain;
  }

  void setLatentGain(double gain) {
    if (!(gain > 0) || !Double.isFinite(gain)) {
      throw new IllegalArgumentException("latent gain must be finite and > 0, got " + gain);
    }
    latentGain = gain;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray code = encoder.forward(store, inputs, training).singletonOrThrow();
    NDArray reconstruction = decoder.forward(store, new NDList(code), training).singletonOrThrow();
    return new NDList(latentGain == 1 ? code : Scalars.mul(code, latentGain), reconstruction);
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
