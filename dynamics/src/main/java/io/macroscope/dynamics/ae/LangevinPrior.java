package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import io.macroscope.dynamics.nn.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The latent Langevin prior of Dynamics-AE: the force field f(z) and, with {@link
 * DynamicsAeConfig#diffusion()}, a position-dependent diagonal diffusion M(z) = exp(g(z)). A prior
 * move from z is Gaussian with mean {@code M f + D dM/dz} and variance {@code 2 D M} per component
 * (Itô, unit time step; with constant diffusion M = 1 and the mean is f). The divergence term
 * dM_ii/dz_i is a central difference of the network, which keeps it inside first-order autograd.
 */
final class LangevinPrior {

  private LangevinPrior() {}

  /** The prior's network: the force field, or force field and log-diffusion side by side. */
  static Block newBlock(DynamicsAeConfig config) {
    Block force = Networks.forceField(config).newBlock();
    if (!config.diffusion().positionDependent()) {
      return force;
    }
    return new ParallelBlock(
        outputs ->
            new NDList(
                NDArrays.concat(
                    new NDList(
                        outputs.get(0).singletonOrThrow(), outputs.get(1).singletonOrThrow()),
                    1)),
        List.of(force, Networks.logDiffusion(config).newBlock()));
  }

  /** The force-field part of a prior network from {@link #newBlock}. */
  static Block forceField(Block prior, DynamicsAeConfig config) {
    return config.diffusion().positionDependent() ? prior.getChildren().get(0).getValue() : prior;
  }

  /** The log-diffusion part of a prior network from {@link #newBlock}, or null. */
  static Block logDiffusion(Block prior, DynamicsAeConfig config) {
    return config.diffusion().positionDependent() ? prior.getChildren().get(1).getValue() : null;
  }

  /**
   * Distribution of the prior's move from each row of z.
   *
   * @param mean M f + D dM/dz (n x d)
   * @param std per-component standard deviation sqrt(2 D M) (n x d), or null when constant
   * @param logM g(z) (n x d), or null when constant
   */
  record Moves(NDArray mean, NDArray std, NDArray logM) {

    /**
     * The moves the encoder's SW term compares with: these in the coupled form, else the same mean
     * with unit diffusion (see {@link DynamicsAeConfig.Diffusion}).
     */
    Moves encoderTarget(DynamicsAeConfig config) {
      return config.diffusion() == DynamicsAeConfig.Diffusion.COUPLED
          ? this
          : new Moves(mean, null, null);
    }

    /** Moves drawn with standard normal {@code noise}: mean + std * noise. */
    NDArray sample(NDArray noise) {
      return mean.add(
          std == null
              ? Scalars.mul(noise, Math.sqrt(2 * DynamicsAeConfig.DIFFUSION))
              : noise.mul(std));
    }

    /** Per-component standard deviation as a host array of n x d values. */
    float[] stdValues(int n, int d) {
      if (std != null) {
        return std.toFloatArray();
      }
      float[] out = new float[n * d];
      java.util.Arrays.fill(out, (float) Math.sqrt(2 * DynamicsAeConfig.DIFFUSION));
      return out;
    }
  }

  /**
   * The prior's move distribution at z.
   *
   * @param network runs the prior's network on a batch of latent rows
   */
  static Moves moves(UnaryOperator<NDArray> network, NDArray z, DynamicsAeConfig config) {
    if (!config.diffusion().positionDependent()) {
      return new Moves(network.apply(z), null, null);
    }
    int n = (int) z.size(0);
    int d = config.latentDim();
    // One forward pass over z and z +- h e_i for every axis i.
    List<NDArray> rows = new ArrayList<>(1 + 2 * d);
    rows.add(z);
    for (int i = 0; i < d; i++) {
      float[] step = new float[d];
      step[i] = DynamicsAeConfig.DIFFERENCE_STEP;
      NDArray offset = z.getManager().create(step).reshape(1, d);
      rows.add(z.add(offset));
      rows.add(z.sub(offset));
    }
    NDArray out = network.apply(NDArrays.concat(new NDList(rows), 0));
    NDArray force = out.get(new NDIndex("0:{}, 0:{}", n, d));
    NDArray logM = out.get(new NDIndex("0:{}, {}:", n, d));
    NDArray m = logM.exp();
    List<NDArray> divergence = new ArrayList<>(d);
    for (int i = 0; i < d; i++) {
      NDArray plus =
          out.get(new NDIndex("{}:{}, {}:{}", n * (1 + 2 * i), n * (2 + 2 * i), d + i, d + i + 1));
      NDArray minus =
          out.get(new NDIndex("{}:{}, {}:{}", n * (2 + 2 * i), n * (3 + 2 * i), d + i, d + i + 1));
      divergence.add(
          Scalars.div(plus.exp().sub(minus.exp()), 2 * DynamicsAeConfig.DIFFERENCE_STEP));
    }
    NDArray mean =
        m.mul(force)
            .add(
                Scalars.mul(
                    NDArrays.concat(new NDList(divergence), 1), DynamicsAeConfig.DIFFUSION));
    NDArray std = Scalars.mul(m, 2 * DynamicsAeConfig.DIFFUSION).sqrt();
    return new Moves(mean, std, logM);
  }

  /**
   * Mean over the batch of the Gaussian NLL of the moves without its constant 0.5 d log(4 pi D):
   * sum_i (dz_i - mean_i)^2 / (4 D M_i) + 0.5 log M_i.
   */
  static NDArray nll(NDArray moves, Moves prior) {
    NDArray residual = moves.sub(prior.mean()).square();
    if (prior.logM() == null) {
      return Scalars.div(residual.sum(new int[] {1}).mean(), 4 * DynamicsAeConfig.DIFFUSION);
    }
    return residual
        .div(Scalars.mul(prior.logM().exp(), 4 * DynamicsAeConfig.DIFFUSION))
        .add(Scalars.mul(prior.logM(), 0.5))
        .sum(new int[] {1})
        .mean();
  }
}
