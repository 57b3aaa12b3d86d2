package io.macroscope.dynamics.closure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.macroscope.dynamics.nn.MlpSpec;
import io.macroscope.dynamics.nn.OnnxSetEncoders;
import io.macroscope.dynamics.nn.Scalars;

/**
 * Permutation-invariant set encoder (DeepSet): a per-particle network phi, a masked mean over the
 * particles of each pooling slot (one slot per species; the same phi for all), and a set-level
 * network rho on the concatenated slot means. Input: features (B, N, F) and slot mask (B, N, S);
 * padded particles have an all-zero mask row, so sets of different size share a batch and the
 * output does not depend on particle order or padding. Output: z (B, d).
 */
public final class DeepSetBlock extends SetEncoderBlock {

  /**
   * @param phi per-particle network, F -> H
   * @param rho set network, S * H -> d
   * @param slots pooling slots S
   */
  public DeepSetBlock(MlpSpec phi, MlpSpec rho, int slots) {
    super(phi, rho, slots);
  }

  @Override
  public String kind() {
    return "deepset";
  }

  @Override
  public byte[] exportOnnx() {
    return OnnxSetEncoders.deepSet(phiSpec(), phi, rhoSpec(), rho, slots());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);
    NDArray h = phi.forward(store, new NDList(x), training).singletonOrThrow();
    NDArray pooled = mask.transpose(0, 2, 1).matMul(h);
    NDArray counts = Scalars.maximum(mask.sum(new int[] {1}), 1).expandDims(2);
    return readOut(store, pooled.div(counts), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    phi.initialize(manager, dataType, new Shape(1, phiSpec().inputs()));
    rho.initialize(manager, dataType, new Shape(1, rhoSpec().inputs()));
  }
}
