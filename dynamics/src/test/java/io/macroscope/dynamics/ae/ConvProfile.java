package io.macroscope.dynamics.ae;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.function.Supplier;

/**
 * Benchmark (not a test): milliseconds per frame of one training step (forward, backward, Adam) of
 * the reference image encoder, the decoder, and one decoder block computed both ways (the sub-pixel
 * form used, and the zero-insert form it replaces). Run with {@code bench/run-java.sh
 * io.macroscope.dynamics.ae.ConvProfile 1 [batch=64] [steps=10]}.
 */
public final class ConvProfile {

  private ConvProfile() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    time("encoder", () -> ConvNets.encoder(1, 64, 64, 256, 2), new Shape(batch, 4096), steps);
    time("decoder", () -> ConvNets.decoder(1, 64, 64, 256, 2), new Shape(batch, 2), steps);
    Shape block = new Shape(batch, 32, 16, 16);
    time("third decoder block, sub-pixel", () -> new ConvNets.SubPixelDeconv(32), block, steps);
    time("third decoder block, zero-insert", ConvProfile::zeroInsert, block, steps);
  }

  private static Block zeroInsert() {
    return new SequentialBlock()
        .add(new LambdaBlock(x -> new NDList(ConvNets.upsampleWithZeros(x.singletonOrThrow()))))
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(4, 4))
                .optStride(new Shape(1, 1))
                .setFilters(32)
                .build());
  }

  private static void time(String name, Supplier<Block> block, Shape input, int steps) {
    try (Model model = Model.newInstance(name, "PyTorch")) {
      model.setBlock(block.get());
      try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
        trainer.initialize(input);
        NDArray x = model.getNDManager().randomNormal(input);
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 3; round++) {
          long start = System.nanoTime();
          for (int i = 0; i < steps; i++) {
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDArray y = trainer.forward(new NDList(x)).singletonOrThrow();
              collector.backward(y.square().mean());
            }
            trainer.step();
          }
          best = Math.min(best, (System.nanoTime() - start) / 1e6 / steps / input.get(0));
        }
        System.out.printf("%-32s %.2f ms per frame (best of 3 rounds)%n", name, best);
      }
    }
  }
}
