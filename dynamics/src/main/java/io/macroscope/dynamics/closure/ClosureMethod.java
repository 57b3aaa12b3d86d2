package io.macroscope.dynamics.closure;

/** What learns the latent state z; the dynamics of s = (z, m) are fitted the same way for all. */
public enum ClosureMethod {
  /** DeepSet encoder, conditional spline-flow decoder on the kernel density (the method). */
  CLOSURE("closure"),
  /** Flattened MLP autoencoder, particle order permuted at random per minibatch, pointwise MSE. */
  AE_AUG("ae-aug"),
  /** DeepSet encoder, MLP decoder of all particles, pointwise MSE against the input order. */
  AE_INVE("ae-inve"),
  /** DeepSet encoder, MLP decoder, Chamfer distance. */
  AE_INVE_CD("ae-inve-cd"),
  /** DeepSet encoder trained jointly with the dynamics, no reconstruction (may collapse). */
  INVE("inve");

  private final String label;

  ClosureMethod(String label) {
    this.label = label;
  }

  /** The name used on the command line and in bundles. */
  public String label() {
    return label;
  }

  /** The method with this label. */
  public static ClosureMethod of(String label) {
    for (ClosureMethod m : values()) {
      if (m.label.equalsIgnoreCase(label) || m.name().equalsIgnoreCase(label)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown method '" + label + "': closure, ae-aug, ae-inve, ae-inve-cd or inve");
  }
}
