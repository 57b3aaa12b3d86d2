package io.macroscope.dynamics.ae;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/** The fully connected networks of the Dynamics-AE reference configuration. */
public final class Networks {

  private Networks() {}

  /** Encoder or decoder: {@code layers} hidden Linear+ReLU layers of {@code hidden} units. */
  public static Block reluMlp(int hidden, int layers, int out) {
    SequentialBlock net = new SequentialBlock();
    for (int i = 0; i < layers; i++) {
      net.add(Linear.builder().setUnits(hidden).build()).add(Activation.reluBlock());
    }
    return net.add(Linear.builder().setUnits(out).build());
  }

  /** The prior's force field f(z): z -> hidden -> hidden -> d with tanh (reference). */
  public static Block forceField(int hidden, int dim) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build())
        .add(Activation.tanhBlock())
        .add(Linear.builder().setUnits(hidden).build())
        .add(Activation.tanhBlock())
        .add(Linear.builder().setUnits(dim).build());
  }
}
