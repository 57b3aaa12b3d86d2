package io.macroscope.dynamics.closure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.macroscope.dynamics.nn.Scalars;

/**
 * Monotone rational-quadratic spline on [-B, B] with identity tails (Durkan et al., 2019, "Neural
 * Spline Flows"): K bins whose widths, heights and inner knot derivatives come from unconstrained
 * parameters (M, 3K - 1), applied element-wise to a column (M, 1). Boundary derivatives are 1, so
 * the map is continuously differentiable where it meets the tails, and all-zero parameters give the
 * identity. Bin lookup is a one-hot mask built from comparisons, so everything stays inside
 * autograd without a searchsorted op.
 */
final class RationalQuadraticSpline {

  static final double MIN_BIN = 1e-3;
  static final double MIN_DERIVATIVE = 1e-3;

  /** softplus(IDENTITY_SHIFT) + MIN_DERIVATIVE = 1: all-zero parameters give the identity map. */
  private static final float IDENTITY_SHIFT = (float) Math.log(Math.expm1(1 - MIN_DERIVATIVE));

  private RationalQuadraticSpline() {}

  /** Parameters per dimension for K bins. */
  static int parameters(int bins) {
    return 3 * bins - 1;
  }

  /** Spline knots of every row: x and y positions (M, K+1), widths, heights (M, K), slopes. */
  private record Knots(NDArray xs, NDArray ys, NDArray widths, NDArray heights, NDArray slopes) {}

  private static Knots knots(NDArray params, int bins, float bound) {
    long m = params.getShape().get(0);
    NDArray widths = binSizes(params.get(new NDIndex(":, 0:{}", bins)), bins, bound);
    NDArray heights = binSizes(params.get(new NDIndex(":, {}:{}", bins, 2 * bins)), bins, bound);
    NDArray inner =
        Activation.softPlus(params.get(new NDIndex(":, {}:", 2 * bins)).add(IDENTITY_SHIFT))
            .add((float) MIN_DERIVATIVE);
    NDArray ones = params.getManager().ones(new Shape(m, 1));
    NDArray slopes = NDArrays.concat(new NDList(ones, inner, ones), 1);
    return new Knots(edges(widths, bound), edges(heights, bound), widths, heights, slopes);
  }

  private static NDArray binSizes(NDArray raw, int bins, float bound) {
    return Scalars.mul(
        Scalars.mul(raw.softmax(1), 1 - MIN_BIN * bins).add((float) MIN_BIN), 2 * bound);
  }

  private static NDArray edges(NDArray sizes, float bound) {
    NDArray zero = sizes.getManager().zeros(new Shape(sizes.getShape().get(0), 1));
    return NDArrays.concat(new NDList(zero, sizes.cumSum(1)), 1).sub(bound);
  }

  /** One-hot (M, K) of the bin each value of column v (M, 1) falls in, given edges (M, K+1). */
  private static NDArray bin(NDArray v, NDArray edges, int bins) {
    long m = v.getShape().get(0);
    NDArray inner = edges.get(new NDIndex(":, 1:{}", bins));
    NDArray above = v.gte(inner).toType(DataType.FLOAT32, false);
    NDArray one = v.getManager().ones(new Shape(m, 1));
    NDArray zero = v.getManager().zeros(new Shape(m, 1));
    return NDArrays.concat(new NDList(one, above), 1)
        .sub(NDArrays.concat(new NDList(above, zero), 1));
  }

  private static NDArray pick(NDArray values, NDArray oneHot) {
    return values.mul(oneHot).sum(new int[] {1}, true);
  }

  /**
   * The bin each row's value falls in: its left knot (x0, y0), width w, height h, slope delta = h /
   * w and the derivatives d0, d1 at its edges, each (M, 1).
   */
  private record Bin(NDArray x0, NDArray y0, NDArray w, NDArray h, NDArray d0, NDArray d1) {
    NDArray delta() {
      return h.div(w);
    }
  }

  /** Finds the bins of {@code v} (clipped to the interval) along the x or the y knots. */
  private static Bin locate(Knots k, NDArray v, boolean alongY, int bins) {
    NDArray hot = bin(v, alongY ? k.ys : k.xs, bins);
    NDIndex left = new NDIndex(":, 0:{}", bins);
    return new Bin(
        pick(k.xs.get(left), hot),
        pick(k.ys.get(left), hot),
        pick(k.widths, hot),
        pick(k.heights, hot),
        pick(k.slopes.get(left), hot),
        pick(k.slopes.get(new NDIndex(":, 1:")), hot));
  }

  /**
   * Forward map of column {@code x} (M, 1).
   *
   * @return {y (M, 1), log |dy/dx| (M, 1)}
   */
  static NDArray[] forward(NDArray x, NDArray params, int bins, float bound) {
    NDArray inside = x.gte(-bound).logicalAnd(x.lte(bound));
    NDArray xc = x.clip(-bound, bound);
    Bin b = locate(knots(params, bins, bound), xc, false, bins);
    NDArray delta = b.delta();
    NDArray xi = xc.sub(b.x0()).div(b.w()).clip(0, 1);
    NDArray xi1 = xi.mul(xi.neg().add(1));
    NDArray denominator = delta.add(b.d1().add(b.d0()).sub(Scalars.mul(delta, 2)).mul(xi1));
    NDArray numerator = b.h().mul(delta.mul(xi.square()).add(b.d0().mul(xi1)));
    NDArray y = b.y0().add(numerator.div(denominator));
    NDArray slope =
        delta
            .square()
            .mul(
                b.d1()
                    .mul(xi.square())
                    .add(Scalars.mul(delta, 2).mul(xi1))
                    .add(b.d0().mul(xi.neg().add(1).square())))
            .div(denominator.square());
    NDArray logDet = NDArrays.where(inside, slope.log(), x.zerosLike());
    return new NDArray[] {NDArrays.where(inside, y, x), logDet};
  }

  /** Inverse map of column {@code y} (M, 1): the x with forward(x) = y. */
  static NDArray inverse(NDArray y, NDArray params, int bins, float bound) {
    NDArray inside = y.gte(-bound).logicalAnd(y.lte(bound));
    NDArray yc = y.clip(-bound, bound);
    Bin b = locate(knots(params, bins, bound), yc, true, bins);
    NDArray delta = b.delta();
    NDArray dy = yc.sub(b.y0());
    NDArray curvature = b.d1().add(b.d0()).sub(Scalars.mul(delta, 2));
    NDArray qa = b.h().mul(delta.sub(b.d0())).add(dy.mul(curvature));
    NDArray qb = b.h().mul(b.d0()).sub(dy.mul(curvature));
    NDArray qc = delta.neg().mul(dy);
    NDArray root = Scalars.maximum(qb.square().sub(Scalars.mul(qa.mul(qc), 4)), 0).sqrt();
    NDArray xi = Scalars.mul(qc, 2).div(qb.neg().sub(root)).clip(0, 1);
    return NDArrays.where(inside, b.x0().add(xi.mul(b.w())), y);
  }
}
