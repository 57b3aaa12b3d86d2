package io.macroscope.dynamics.closure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.macroscope.dynamics.nn.MlpSpec;

/**
 * What the set encoders share: a per-particle network phi (F -> H), a pooling of the particles into
 * S slots that each encoder does its own way, and the set network rho on the concatenated slots (S
 * * H -> d). Subclasses register their own blocks after phi and rho and initialise all of them.
 */
abstract class SetEncoderBlock extends AbstractBlock implements SetEncoder {

  private final MlpSpec phiSpec;
  private final MlpSpec rhoSpec;
  private final int slots;
  protected final Block phi;
  protected final Block rho;

  protected SetEncoderBlock(MlpSpec phi, MlpSpec rho, int slots) {
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
  public MlpSpec phiSpec() {
    return phiSpec;
  }

  @Override
  public MlpSpec rhoSpec() {
    return rhoSpec;
  }

  @Override
  public int slots() {
    return slots;
  }

  /** rho on the pooled slots (B, S, H). */
  protected NDList readOut(ParameterStore store, NDArray pooled, boolean training) {
    long batch = pooled.getShape().get(0);
    return rho.forward(
        store, new NDList(pooled.reshape(batch, (long) slots * phiSpec.outputs())), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), rhoSpec.outputs())};
  }
}
