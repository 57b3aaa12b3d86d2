package io.macroscope.dynamics.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * Puts the latent space of an autoencoder on a new scale without changing what it computes: the
 * encoder's last linear layer (weight and bias) is multiplied by {@code c}, the decoder's first
 * linear weight divided by it, so z becomes c z and the reconstruction stays the same.
 *
 * <p>Used once after the warm-up: the diffusion convention fixes the latent scale (a frame's move
 * has mean square 2 d D), and an encoder that reconstructs well but sits on the wrong scale would
 * otherwise be stretched by the SW term's gradient over many epochs while the decoder chases the
 * moving inputs. The parameters change in place; the optimizer's moments no longer fit them, so
 * training goes on with a fresh optimizer.
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
    Parameter decoderWeight = decoder.get(0);
    if (!weight.getName().equals("weight")
        || !bias.getName().equals("bias")
        || !decoderWeight.getName().equals("weight")) {
      throw new IllegalStateException("latent rescale expects linear layers around the latent");
    }
    scale(weight.getArray(), c);
    scale(bias.getArray(), c);
    scale(decoderWeight.getArray(), 1 / c);
  }

  private static void scale(NDArray array, double c) {
    boolean grad = array.hasGradient();
    array.setRequiresGradient(false);
    array.muli((float) c);
    array.setRequiresGradient(grad);
  }
}
