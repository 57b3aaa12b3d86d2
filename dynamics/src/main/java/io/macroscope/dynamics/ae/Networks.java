package io.macroscope.dynamics.ae;

import io.macroscope.dynamics.nn.MlpSpec;

/** The fully connected networks of the Dynamics-AE reference configuration, as specs. */
public final class Networks {

  private Networks() {}

  /** Encoder (features -> latent): hidden Linear+ReLU layers of the configured width. */
  public static MlpSpec encoder(DynamicsAeConfig config, int features, int outputs) {
    return MlpSpec.uniform(
        features, config.hidden(), config.hiddenLayers(), outputs, MlpSpec.Act.RELU);
  }

  /** Decoder (latent -> features), mirror of the encoder. */
  public static MlpSpec decoder(DynamicsAeConfig config, int features) {
    return MlpSpec.uniform(
        config.latentDim(), config.hidden(), config.hiddenLayers(), features, MlpSpec.Act.RELU);
  }

  /** The prior's force field f(z): z -> hidden -> hidden -> d with tanh (reference). */
  public static MlpSpec forceField(DynamicsAeConfig config) {
    return MlpSpec.uniform(
        config.latentDim(), config.priorHidden(), 2, config.latentDim(), MlpSpec.Act.TANH);
  }

  /**
   * The prior's log-diffusion g(z) = log diag M(z), same shape as the force field (used with {@link
   * DynamicsAeConfig#diffusion()}).
   */
  public static MlpSpec logDiffusion(DynamicsAeConfig config) {
    return forceField(config);
  }
}
