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
import io.macroscope.dynamics.nn.OnnxSetEncoders;

/**
 * Permutation-invariant set encoder (DeepSet): a per-particle network phi, a masked mean over the
 * particles of each pooling slot (one slot per species; the same phi for all), and a set-level
 * network rho on the concatenated slot means. Input: features (B, N, F) and slot mask (B, N, S);
 * padded particles have an all-zero mask row, so sets of different size share a batch and the
 * output does not depend on particle order or padding. Output: z (B, d).
 */
public final class DeepSetBlock extends AbstractBlock implements SetEncoder {

  private final MlpSpec phiSpec;
  private final MlpSpec rhoSpec;
  private final Block phi;
  private final Block rho;
  private final int slots;

  /**
   * @param phi per-particle network, F -> H
   * @param rho set network, S * H -> d
   * @param slots pooling slots S
   */
  public DeepSetBlock(MlpSpec phi, MlpSpec rho, int slots) {
    if (rho.inputs() != slots * phi.outputs()) {
      throw new IllegalArgumentException("rho must take slots * phi.outputs inputs");
    }
    this.phiSpec = phi;
    this.rhoSpec = rho;
    this.slots = slots;
    this.phi = addChildBlock("phi", phi.newBlock());
    this.rho = addChildBlock("rho", rho.newBlock());
  }

  @Override
  public String kind() {
    return "deepset";
  }

  @Override
  public byte[] exportOnnx() {
    return OnnxSetEncoders.deepSet(phiSpec, phi, rhoSpec, rho, slots);
  }

  @Override
  public MlpSpec phiSpec() {
    return phiSpec;
  }

  @Override
  public MlpSpec rhoSpec() {
    return rhoSpec;
  }

  public Block phi() {
    return phi;
  }

  public Block rho() {
    return rho;
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);
    long batch = x.getShape().get(0);
    NDArray h = phi.forward(store, new NDList(x), training).singletonOrThrow();
    NDArray pooled = mask.transpose(0, 2, 1).matMul(h);
    NDArray counts = mask.sum(new int[] {1}).maximum(1f).expandDims(2);
    NDArray flat = pooled.div(counts).reshape(batch, (long) slots * phiSpec.outputs());
    return rho.forward(store, new NDList(flat), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), rhoSpec.outputs())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    phi.initialize(manager, dataType, new Shape(1, phiSpec.inputs()));
    rho.initialize(manager, dataType, new Shape(1, rhoSpec.inputs()));
  }
}
