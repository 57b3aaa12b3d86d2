package io.macroscope.dynamics.closure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.macroscope.dynamics.nn.MlpSpec;
import io.macroscope.dynamics.nn.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Conditional density q(y | c) over D-dimensional particle features: a stack of autoregressive
 * rational-quadratic spline layers on a standard normal base. In each layer, dimension i (in the
 * layer's order, alternating forward and reversed) is transformed by a spline whose parameters a
 * small network computes from the context c (the latent state, plus a species one-hot) and the
 * layer's inputs of the dimensions before it. The data-to-base direction is one parallel pass, so
 * the exact log-likelihood {@code forward(y, c)} is cheap; sampling inverts dimension by dimension.
 */
public final class ConditionalSplineFlow extends AbstractBlock {

  private final int dims;
  private final int context;
  private final int layers;
  private final int bins;
  private final float bound;
  private final float outputInit;
  private final List<List<Block>> conditioners = new ArrayList<>();

  /**
   * @param dims feature dimension D
   * @param context context width C
   * @param layers spline layers
   * @param bins spline bins K
   * @param hidden width of the conditioner networks (two hidden ReLU layers)
   * @param bound spline interval [-bound, bound] (identity outside)
   * @param outputInit factor on the conditioners' initial output layers: small values start the
   *     flow near the identity (a standard normal density), which keeps early training stable
   */
  public ConditionalSplineFlow(
      int dims, int context, int layers, int bins, int hidden, float bound, float outputInit) {
    if (dims < 1 || context < 1 || layers < 1 || bins < 2 || !(bound > 0)) {
      throw new IllegalArgumentException("need dims, context, layers >= 1, bins >= 2, bound > 0");
    }
    this.dims = dims;
    this.context = context;
    this.layers = layers;
    this.bins = bins;
    this.bound = bound;
    this.outputInit = outputInit;
    for (int l = 0; l < layers; l++) {
      List<Block> row = new ArrayList<>();
      for (int i = 0; i < dims; i++) {
        MlpSpec spec =
            MlpSpec.uniform(
                context + i, hidden, 2, RationalQuadraticSpline.parameters(bins), MlpSpec.Act.RELU);
        row.add(addChildBlock("layer" + l + "_dim" + i, spec.newBlock()));
      }
      conditioners.add(row);
    }
  }

  public int dims() {
    return dims;
  }

  public int context() {
    return context;
  }

  private int[] order(int layer) {
    int[] order = new int[dims];
    for (int i = 0; i < dims; i++) {
      order[i] = layer % 2 == 0 ? i : dims - 1 - i;
    }
    return order;
  }

  /** log q(y | c) for y (M, D) and c (M, C); returns (M). */
  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray current = inputs.get(0);
    NDArray ctx = inputs.get(1);
    long m = current.getShape().get(0);
    NDArray logDet = current.getManager().zeros(new Shape(m, 1));
    for (int l = 0; l < layers; l++) {
      int[] order = order(l);
      NDArray[] out = new NDArray[dims];
      NDList conditioning = new NDList(ctx);
      for (int i = 0; i < dims; i++) {
        NDArray column = current.get(new NDIndex(":, {}:{}", order[i], order[i] + 1));
        NDArray p = conditioner(store, l, i, conditioning, training);
        NDArray[] mapped = RationalQuadraticSpline.forward(column, p, bins, bound);
        out[order[i]] = mapped[0];
        logDet = logDet.add(mapped[1]);
        conditioning.add(column);
      }
      current = NDArrays.concat(new NDList(out), 1);
    }
    NDArray base =
        Scalars.mul(current.square().sum(new int[] {1}, true), -0.5)
            .sub((float) (0.5 * dims * LOG_2PI));
    return new NDList(base.add(logDet).reshape(m));
  }

  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private NDArray conditioner(
      ParameterStore store, int layer, int dim, NDList conditioning, boolean training) {
    NDArray input =
        conditioning.size() == 1 ? conditioning.get(0) : NDArrays.concat(conditioning, 1);
    return conditioners.get(layer).get(dim).forward(store, new NDList(input), training).head();
  }

  /** Draws one sample of y per context row c (M, C), with base noise from the manager. */
  public NDArray sample(ParameterStore store, NDArray ctx) {
    long m = ctx.getShape().get(0);
    NDArray current = ctx.getManager().randomNormal(new Shape(m, dims));
    for (int l = layers - 1; l >= 0; l--) {
      int[] order = order(l);
      NDArray[] in = new NDArray[dims];
      NDList conditioning = new NDList(ctx);
      for (int i = 0; i < dims; i++) {
        NDArray column = current.get(new NDIndex(":, {}:{}", order[i], order[i] + 1));
        NDArray p = conditioner(store, l, i, conditioning, false);
        in[order[i]] = RationalQuadraticSpline.inverse(column, p, bins, bound);
        conditioning.add(in[order[i]]);
      }
      current = NDArrays.concat(new NDList(in), 1);
    }
    return current;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (int l = 0; l < layers; l++) {
      for (int i = 0; i < dims; i++) {
        Block net = conditioners.get(l).get(i);
        net.initialize(manager, dataType, new Shape(1, context + i));
        Block output = net.getChildren().get(net.getChildren().size() - 1).getValue();
        for (var p : output.getParameters()) {
          // In-place on a leaf that requires gradients fails where PyTorch's grad mode is on —
          // its default in any thread but the one DJL initialised the engine in.
          ai.djl.ndarray.NDArray array = p.getValue().getArray();
          array.setRequiresGradient(false);
          array.muli(outputInit);
          array.setRequiresGradient(true);
        }
      }
    }
  }
}
