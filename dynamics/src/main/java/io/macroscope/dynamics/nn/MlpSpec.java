package io.macroscope.dynamics.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.List;

/**
 * A fully connected network: Linear layers of the given widths with one activation between them and
 * a linear output. The same description builds the trainable DJL block and its ONNX graph.
 *
 * @param inputs input width
 * @param hidden widths of the hidden layers
 * @param outputs output width
 * @param activation activation after every hidden layer
 */
public record MlpSpec(int inputs, List<Integer> hidden, int outputs, Act activation) {

  /** Activations with an ONNX counterpart. */
  public enum Act {
    RELU("Relu"),
    TANH("Tanh");

    private final String onnxName;

    Act(String onnxName) {
      this.onnxName = onnxName;
    }

    /** ONNX operator name. */
    public String onnxName() {
      return onnxName;
    }
  }

  public MlpSpec {
    hidden = List.copyOf(hidden);
    if (inputs < 1 || outputs < 1 || hidden.stream().anyMatch(h -> h < 1)) {
      throw new IllegalArgumentException("layer widths must be >= 1");
    }
  }

  /** {@code layers} hidden layers of {@code units} each. */
  public static MlpSpec uniform(int inputs, int units, int layers, int outputs, Act activation) {
    return new MlpSpec(inputs, java.util.Collections.nCopies(layers, units), outputs, activation);
  }

  /** A new, uninitialised DJL block of this shape. */
  public Block newBlock() {
    SequentialBlock net = new SequentialBlock();
    for (int units : hidden) {
      net.add(Linear.builder().setUnits(units).build());
      net.add(activation == Act.RELU ? Activation.reluBlock() : Activation.tanhBlock());
    }
    return net.add(Linear.builder().setUnits(outputs).build());
  }
}
