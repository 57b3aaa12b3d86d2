package io.macroscope.dynamics.closure;

import io.macroscope.dynamics.nn.MlpSpec;

/**
 * A permutation-invariant set encoder that a bundle can carry: inputs features (B, N, F) and slot
 * mask (B, N, S), output z (B, d), exported to ONNX with symbolic batch and set size.
 */
public interface SetEncoder {

  /** {@code deepset} or {@code set-transformer}, as the manifest records it. */
  String kind();

  MlpSpec phiSpec();

  MlpSpec rhoSpec();

  int slots();

  /** The trained encoder as an ONNX model (inputs x, mask; output z). */
  byte[] exportOnnx();
}
