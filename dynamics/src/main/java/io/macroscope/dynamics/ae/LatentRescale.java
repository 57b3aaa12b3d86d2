package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * Puts the latent space of an autoencoder on a new scale without changing what it computes: the
 * encoder's last linear layer (weight and bias) is multiplied by {@code c}, the decoder's first
 * linear weight divided by it, so z becomes c z and the reconstruction stays the same.
 *
 * <p>The diffusion convention fixes the latent scale (a frame's move has mean square 2 d D). After
 * the warm-up the trainer puts the latent on that scale with the block's gain ({@link
 * AutoencoderBlock#latentGain}), not in the weights: a warm-up latent off by a factor of 20-200 (as
 * on the spot movie) would leave the decoder's first weights that much smaller while Adam's steps
 * keep their size, so the first epochs after the warm-up would scramble them (measured with the
 * splat decoder, seed 0: similarity error 0.112 with the weights rescaled, 0.083 with the gain).
 * {@link #fold} moves the gain into the weights once training is over.
 */
final class LatentRescale {

  private LatentRescale() {}

  static void apply(AutoencoderBlock block, double c) {
    if (!(c > 0) || !Double.isFinite(c)) {
      throw new IllegalArgumentException("latent scale factor must be finite and > 0, got " + c);
    }
    List<Parameter> encoder = block.encoder().getParameters().values();
    List<Parameter> decoder = block.decoder().getParameters().values();
    Parameter weight = encoder.get(encoder.size() - 2);
    Parameter bias = encoder.get(encoder.size() - 1);
    // The first weight the decoder applies (a decoder may hold parameters of its own before it,
    // such as SplatDecoder's background).
    Parameter decoderWeight =
        decoder.stream().filter(p -> p.getName().equals("weight")).findFirst().orElseThrow();
    if (!weight.getName().equals("weight")
        || !bias.getName().equals("bias")
        || !decoderWeight.getName().equals("weight")) {
      throw new IllegalStateException("latent rescale expects linear layers around the latent");
    }
    scale(weight.getArray(), c);
    scale(bias.getArray(), c);
    scale(decoderWeight.getArray(), 1 / c);
  }

  /** Moves the block's latent gain into its weights ({@link #apply}) and sets the gain to 1. */
  static void fold(AutoencoderBlock block) {
    double gain = block.latentGain();
    if (gain != 1) {
      apply(block, gain);
      block.setLatentGain(1);
    }
  }

  private static void scale(NDArray array, double c) {
    boolean grad = array.hasGradient();
    array.setRequiresGradient(false);
    array.muli((float) c);
    array.setRequiresGradient(grad);
  }
}
