package io.macroscope.dynamics.closure;

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
import io.macroscope.dynamics.nn.MlpSpec;
import io.macroscope.dynamics.nn.Scalars;

/**
 * Training objectives as blocks whose forward pass returns the scalar loss, so one DJL trainer per
 * stage updates every network inside. After training, the networks are used directly.
 */
final class Objectives {

  private Objectives() {}

  /** A block whose forward pass returns one scalar loss. */
  abstract static class ScalarLoss extends AbstractBlock {

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {new Shape()};
    }
  }

  /**
   * The closure model's reconstruction: -mean log q(y | z) over Monte-Carlo samples y of each set's
   * kernel density. Inputs: x (B, N, F), mask (B, N, S), y (M, F), set index of each sample (M,
   * int), slot one-hot of each sample (M, S) (ignored with one slot).
   */
  static final class FlowReconstruction extends ScalarLoss {
    final Block encoder;
    final ConditionalSplineFlow flow;
    private final int slots;

    FlowReconstruction(Block encoder, ConditionalSplineFlow flow, int slots) {
      this.encoder = addChildBlock("encoder", encoder);
      this.flow = addChildBlock("flow", flow);
      this.slots = slots;
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList in, boolean training, PairList<String, Object> params) {
      NDArray z = encoder.forward(store, new NDList(in.get(0), in.get(1)), training).head();
      return new NDList(negLogLikelihood(store, z, in, training));
    }

    /**
     * -mean log q(y | z) for latents z (B, d) already encoded from inputs 0 and 1 of {@code in}.
     */
    NDArray negLogLikelihood(ParameterStore store, NDArray z, NDList in, boolean training) {
      NDArray context = z.get(new NDIndex("{}", in.get(3)));
      if (slots > 1) {
        context = context.concat(in.get(4), 1);
      }
      return flow.forward(store, new NDList(in.get(2), context), training).head().mean().neg();
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType type, Shape... shapes) {
      encoder.initialize(m, type, shapes[0], shapes[1]);
      flow.initialize(m, type, new Shape(1, flow.dims()), new Shape(1, flow.context()));
    }
  }

  /**
   * The closure model's joint fine-tune, L_rec + lambda L_dyn: the reconstruction of the first
   * microstate of each consecutive pair, plus lambda times the one-step dynamics loss of s = (z, m)
   * over the pair through a transition net of its own, per state component, in units of that
   * component's typical one-step move. Inputs: the five of {@link FlowReconstruction} for the first
   * microstates, then x1, mask1, m0 and m1 (normalised macros), the latent's shift (1, d) and the
   * factor (1, D) that takes s = (z - shift, m) to move units.
   */
  static final class JointReconstruction extends ScalarLoss {
    final FlowReconstruction reconstruction;
    final Transition transition;
    private final double weight;

    JointReconstruction(FlowReconstruction reconstruction, Transition transition, double weight) {
      this.reconstruction = addChildBlock("reconstruction", reconstruction);
      this.transition = addChildBlock("transition", transition);
      this.weight = weight;
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList in, boolean training, PairList<String, Object> params) {
      Block encoder = reconstruction.encoder;
      NDArray z0 = encoder.forward(store, new NDList(in.get(0), in.get(1)), training).head();
      NDArray z1 = encoder.forward(store, new NDList(in.get(5), in.get(6)), training).head();
      NDArray rec = reconstruction.negLogLikelihood(store, z0, in, training);
      NDArray shift = in.get(9);
      NDArray factor = in.get(10);
      NDArray s0 = z0.sub(shift).concat(in.get(7), 1).mul(factor);
      NDArray s1 = z1.sub(shift).concat(in.get(8), 1).mul(factor);
      double perComponent = weight / s0.getShape().get(1);
      NDArray dyn = transition.loss(store, s0, s1, training);
      return new NDList(rec.add(Scalars.mul(dyn, perComponent)));
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType type, Shape... shapes) {
      // the reconstruction arrives trained; only the transition net is new
      transition.initialize(m, type, new Shape(1, 1));
    }
  }

  /**
   * The pointwise baselines' reconstruction: an MLP decodes z into N particles, scored against the
   * target set (B, N, F) by mean squared error in the given order, or by the Chamfer distance.
   * Inputs: x, mask, target.
   */
  static final class PointReconstruction extends ScalarLoss {
    final Block encoder;
    private final Block decoder;
    private final MlpSpec decoderSpec;
    private final boolean chamfer;

    PointReconstruction(Block encoder, MlpSpec decoderSpec, boolean chamfer) {
      this.encoder = addChildBlock("encoder", encoder);
      this.decoder = addChildBlock("decoder", decoderSpec.newBlock());
      this.decoderSpec = decoderSpec;
      this.chamfer = chamfer;
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList in, boolean training, PairList<String, Object> params) {
      NDArray target = in.get(2);
      NDArray z = encoder.forward(store, new NDList(in.get(0), in.get(1)), training).head();
      NDArray points =
          decoder.forward(store, new NDList(z), training).head().reshape(target.getShape());
      if (!chamfer) {
        return new NDList(points.sub(target).square().mean());
      }
      return new NDList(chamfer(points, target));
    }

    /**
     * Symmetric Chamfer distance of point sets a and b (B, N, F): the mean squared distance from
     * each point to its nearest neighbour in the other set, both ways. The (B, N, N) squared
     * distances come from |a|^2 + |b|^2 - 2 a.b, one batched matrix product, not an (B, N, N, F)
     * difference tensor: at N = 300 that tensor made this baseline eight times slower than AE-InvE
     * and, through glibc's growing mmap threshold, held 14 GB of freed pages after one epoch.
     */
    static NDArray chamfer(NDArray a, NDArray b) {
      NDArray aa = a.square().sum(new int[] {2}, true); // (B, N, 1)
      NDArray bb = b.square().sum(new int[] {2}).expandDims(1); // (B, 1, M)
      NDArray d2 =
          Scalars.maximum(aa.add(bb).sub(Scalars.mul(a.matMul(b.transpose(0, 2, 1)), 2)), 0);
      return d2.min(new int[] {2}).mean().add(d2.min(new int[] {1}).mean());
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType type, Shape... shapes) {
      encoder.initialize(m, type, shapes[0], shapes[1]);
      decoder.initialize(m, type, new Shape(1, decoderSpec.inputs()));
    }
  }

  /**
   * Transition likelihood of the latent dynamics: s1 ~ N(s0 + mu(s0), diag(sigma(s0)^2)) per frame
   * step (SDE, Euler-Maruyama with unit step), or the squared error of s1 - s0 - mu(s0) (ODE).
   * Input: windows of consecutive states (see {@link #forwardInternal}).
   */
  static final class Transition extends ScalarLoss {
    final Block drift;
    final Block diffusion;
    final MlpSpec spec;
    private final int stateDim;

    Transition(MlpSpec drift, MlpSpec diffusion) {
      this.spec = drift;
      this.drift = addChildBlock("drift", drift.newBlock());
      this.diffusion = diffusion == null ? null : addChildBlock("diffusion", diffusion.newBlock());
      this.stateDim = drift.inputs();
    }

    /**
     * Input: windows of consecutive states (B, L, D). SDE: the Euler-Maruyama likelihood of each
     * window's whole increment over k = L-1 frames, s_k ~ N(s_0 + k mu(s_0), k sigma(s_0)^2) (L = 2
     * is the one-step fit). ODE: the mean squared error of an L-1 step rollout from the window's
     * first state (L = 2 is the one-step fit).
     */
    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList in, boolean training, PairList<String, Object> params) {
      NDArray windows = in.get(0);
      if (diffusion == null) {
        return new NDList(rolloutError(store, windows, 0, training));
      }
      int k = (int) windows.getShape().get(1) - 1;
      NDArray s0 = windows.get(new NDIndex(":, 0, :"));
      return new NDList(loss(store, s0, windows.get(new NDIndex(":, {}, :", k)), k, training));
    }

    /**
     * ODE: the mean squared error of the state columns from {@code from} on along an L-1 step
     * rollout from each window's first state (B, L, D), mean over steps and windows (all columns:
     * the training loss; the macro columns: the dynamics stage's selection score).
     */
    NDArray rolloutError(ParameterStore store, NDArray windows, int from, boolean training) {
      long length = windows.getShape().get(1);
      NDArray s = windows.get(new NDIndex(":, 0, :"));
      NDArray total = null;
      for (int j = 1; j < length; j++) {
        s = s.add(drift.forward(store, new NDList(s), training).head());
        NDArray err =
            s.get(new NDIndex(":, {}:", from))
                .sub(windows.get(new NDIndex(":, {}, {}:", j, from)))
                .square()
                .sum(new int[] {1});
        total = total == null ? err : total.add(err);
      }
      return Scalars.div(total.mean(), length - 1);
    }

    NDArray loss(ParameterStore store, NDArray s0, NDArray s1, boolean training) {
      return loss(store, s0, s1, 1, training);
    }

    /** The loss of the increment s1 - s0 over {@code k} frames (variance k sigma^2 for an SDE). */
    NDArray loss(ParameterStore store, NDArray s0, NDArray s1, int k, boolean training) {
      NDArray mu = drift.forward(store, new NDList(s0), training).head();
      NDArray residual = s1.sub(s0).sub(Scalars.mul(mu, k));
      if (diffusion == null) {
        return residual.square().sum(new int[] {1}).mean();
      }
      // the increment's standard deviation: sqrt(k) sigma
      NDArray logSigma = logSigma(store, s0, training).add((float) (0.5 * Math.log(k)));
      return Scalars.mul(
          residual
              .square()
              .mul(Scalars.mul(logSigma, -2).exp())
              .add(Scalars.mul(logSigma, 2))
              .add((float) Math.log(2 * Math.PI))
              .sum(new int[] {1})
              .mean(),
          0.5);
    }

    /**
     * log sigma(s), kept in [{@link Rollouts#MIN_LOG_SIGMA}, {@link Rollouts#MAX_LOG_SIGMA}] so a
     * collapsing or exploding noise cannot break training (rollouts clip the same way).
     */
    NDArray logSigma(ParameterStore store, NDArray s, boolean training) {
      return diffusion
          .forward(store, new NDList(s), training)
          .head()
          .clip(Rollouts.MIN_LOG_SIGMA, Rollouts.MAX_LOG_SIGMA);
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType type, Shape... shapes) {
      drift.initialize(m, type, new Shape(1, stateDim));
      if (diffusion != null) {
        diffusion.initialize(m, type, new Shape(1, stateDim));
      }
    }
  }

  /**
   * The InvE baseline: the encoder learns only through the dynamics loss of s = (z, m) over pairs
   * of consecutive microstates. Inputs: x0, mask0, x1, mask1, m0, m1.
   */
  static final class JointDynamics extends ScalarLoss {
    final Block encoder;
    final Transition transition;

    JointDynamics(Block encoder, Transition transition) {
      this.encoder = addChildBlock("encoder", encoder);
      this.transition = addChildBlock("transition", transition);
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList in, boolean training, PairList<String, Object> params) {
      NDArray z0 = encoder.forward(store, new NDList(in.get(0), in.get(1)), training).head();
      NDArray z1 = encoder.forward(store, new NDList(in.get(2), in.get(3)), training).head();
      return new NDList(
          transition.loss(store, z0.concat(in.get(4), 1), z1.concat(in.get(5), 1), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType type, Shape... shapes) {
      encoder.initialize(m, type, shapes[0], shapes[1]);
      transition.initialize(m, type, new Shape(1, 1));
    }
  }
}
