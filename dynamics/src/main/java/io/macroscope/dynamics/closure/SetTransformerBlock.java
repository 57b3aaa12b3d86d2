package io.macroscope.dynamics.closure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.macroscope.dynamics.nn.MlpSpec;
import io.macroscope.dynamics.nn.OnnxSetEncoders;
import io.macroscope.dynamics.nn.Scalars;

/**
 * Set Transformer encoder (Lee et al. 2019), the closure paper's stronger alternative to the
 * DeepSet: a per-particle network phi (F -> H), one induced set-attention block (ISAB: m learned
 * inducing points attend to the particles, the particles attend back to them — O(N m), so large
 * sets stay cheap), pooling by multi-head attention (PMA: one learned seed per pooling slot, i.e.
 * per species, attending to that slot's particles), and the set network rho on the concatenated
 * slot outputs. Same inputs as {@link DeepSetBlock}: features (B, N, F) and slot mask (B, N, S);
 * padded particles are masked out of every attention, so the output does not depend on particle
 * order or padding, and a slot without particles contributes only its seed.
 *
 * <p>Each attention block is MAB(Q, K) = H + relu(H W_o + b_o) with H = Q W_q + b_q + MultiHead(Q
 * W_q + b_q, K W_k + b_k, K W_v + b_v) (no layer norm).
 */
public final class SetTransformerBlock extends SetEncoderBlock {

  /** Variance offset of the layer normalisation. */
  public static final float EPSILON = 1e-5f;

  /** Added to the attention logits of masked keys. */
  static final float MASKED = -1e9f;

  private final int heads;
  private final Attention toInducing;
  private final Attention fromInducing;
  private final Attention pool;
  private final Parameter inducingPoints;
  private final Parameter seeds;

  /**
   * @param phi per-particle network, F -> H
   * @param rho set network, S * H -> d
   * @param slots pooling slots S
   * @param heads attention heads (must divide H)
   * @param inducing inducing points m
   */
  public SetTransformerBlock(MlpSpec phi, MlpSpec rho, int slots, int heads, int inducing) {
    super(phi, rho, slots);
    int h = phi.outputs();
    if (heads < 1 || h % heads != 0 || inducing < 1) {
      throw new IllegalArgumentException("need heads dividing " + h + " and inducing >= 1");
    }
    this.heads = heads;
    this.toInducing = addChildBlock("isab_in", new Attention(h, heads));
    this.fromInducing = addChildBlock("isab_out", new Attention(h, heads));
    this.pool = addChildBlock("pma", new Attention(h, heads));
    this.inducingPoints =
        addParameter(
            Parameter.builder()
                .setName("inducing")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, inducing, h))
                .build());
    this.seeds =
        addParameter(
            Parameter.builder()
                .setName("seeds")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, slots, h))
                .build());
  }

  @Override
  public String kind() {
    return "set-transformer";
  }

  /** The attention blocks in order: ISAB in (inducing attend to particles), ISAB out, PMA. */
  public Attention[] attentions() {
    return new Attention[] {toInducing, fromInducing, pool};
  }

  public NDArray inducingPoints() {
    return inducingPoints.getArray();
  }

  public NDArray seeds() {
    return seeds.getArray();
  }

  @Override
  public byte[] exportOnnx() {
    Block[][] maps = new Block[3][];
    Attention[] blocks = attentions();
    for (int i = 0; i < 3; i++) {
      maps[i] = blocks[i].maps();
    }
    return OnnxSetEncoders.setTransformer(
        phiSpec(),
        phi,
        rhoSpec(),
        rho,
        slots(),
        heads,
        maps,
        inducingPoints.getArray().toFloatArray(),
        seeds.getArray().toFloatArray());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);
    long batch = x.getShape().get(0);
    NDArray h = phi.forward(store, new NDList(x), training).singletonOrThrow();
    NDArray any = mask.sum(new int[] {2}); // (B, N): 1 for particles, 0 for padding
    NDArray particleBias = Scalars.mul(any.sub(1f), -MASKED).reshape(batch, 1, 1, -1); // 0 or -1e9
    NDArray points = local(x, store.getValue(inducingPoints, x.getDevice(), training));
    NDArray induced = toInducing.apply(store, points, h, particleBias, null, training);
    NDArray mixed = fromInducing.apply(store, h, induced, null, null, training);
    NDArray slotMask = mask.transpose(0, 2, 1); // (B, S, N)
    NDArray slotBias = Scalars.mul(slotMask.sub(1f), -MASKED).expandDims(1); // (B, 1, S, N)
    NDArray present = Scalars.minimum(slotMask.sum(new int[] {2}, true), 1); // (B, S, 1)
    NDArray seedValues = local(x, store.getValue(seeds, x.getDevice(), training));
    NDArray pooled = pool.apply(store, seedValues, mixed, slotBias, present, training);
    return readOut(store, pooled, training);
  }

  /**
   * A learned array as an operand whose results belong to the batch: DJL attaches an op's result to
   * its first operand's manager, and results of the long-lived parameter itself would pile up there
   * for the model's lifetime (native memory grew until the machine swapped).
   */
  private static NDArray local(NDArray batch, NDArray parameter) {
    return batch.getManager().zeros(parameter.getShape()).add(parameter);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    int h = phiSpec().outputs();
    phi.initialize(manager, dataType, new Shape(1, phiSpec().inputs()));
    for (Attention a : attentions()) {
      a.initialize(manager, dataType, new Shape(1, h));
    }
    rho.initialize(manager, dataType, new Shape(1, rhoSpec().inputs()));
  }

  /** One multi-head attention block MAB(Q, K) with its four linear maps. */
  public static final class Attention extends AbstractBlock {

    private final int width;
    private final int heads;
    private final Block query;
    private final Block key;
    private final Block value;
    private final Block output;

    Attention(int width, int heads) {
      this.width = width;
      this.heads = heads;
      this.query = addChildBlock("q", Linear.builder().setUnits(width).build());
      this.key = addChildBlock("k", Linear.builder().setUnits(width).build());
      this.value = addChildBlock("v", Linear.builder().setUnits(width).build());
      this.output = addChildBlock("o", Linear.builder().setUnits(width).build());
    }

    /** The query, key, value and output maps, in that order. */
    public Block[] maps() {
      return new Block[] {query, key, value, output};
    }

    /**
     * @param q queries (B or 1, Nq, H)
     * @param k keys (B, Nk, H)
     * @param bias added to the logits, broadcastable to (B, heads, Nq, Nk), or null
     * @param gate multiplies the attended values, broadcastable to (B, Nq, 1), or null
     * @return (B, Nq, H)
     */
    NDArray apply(
        ParameterStore store, NDArray q, NDArray k, NDArray bias, NDArray gate, boolean training) {
      NDArray qp = query.forward(store, new NDList(q), training).singletonOrThrow();
      NDArray kp = key.forward(store, new NDList(k), training).singletonOrThrow();
      NDArray vp = value.forward(store, new NDList(k), training).singletonOrThrow();
      long dk = width / heads;
      NDArray qh = split(qp, dk);
      NDArray kh = split(kp, dk);
      NDArray vh = split(vp, dk);
      NDArray logits = Scalars.mul(qh.matMul(kh.transpose(0, 1, 3, 2)), 1 / Math.sqrt(dk));
      if (bias != null) {
        logits = logits.add(bias);
      }
      NDArray attended = logits.softmax(-1).matMul(vh); // (B, heads, Nq, dk)
      long batch = attended.getShape().get(0);
      NDArray merged = attended.transpose(0, 2, 1, 3).reshape(batch, -1, width);
      if (gate != null) {
        merged = merged.mul(gate);
      }
      NDArray hidden = layerNorm(qp.add(merged));
      NDArray ff = output.forward(store, new NDList(hidden), training).singletonOrThrow();
      return layerNorm(hidden.add(ai.djl.nn.Activation.relu(ff)));
    }

    /** Layer normalisation over the feature axis, without learned gain and shift. */
    static NDArray layerNorm(NDArray a) {
      int[] last = {a.getShape().dimension() - 1};
      NDArray centred = a.sub(a.mean(last, true));
      return centred.div(centred.square().mean(last, true).add(EPSILON).sqrt());
    }

    private NDArray split(NDArray a, long dk) {
      Shape s = a.getShape();
      return a.reshape(s.get(0), s.get(1), heads, dk).transpose(0, 2, 1, 3);
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
      return new NDList(apply(store, inputs.get(0), inputs.get(1), null, null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
        NDManager manager, DataType dataType, Shape... inputShapes) {
      for (Block b : maps()) {
        b.initialize(manager, dataType, new Shape(1, width));
      }
    }
  }
}
