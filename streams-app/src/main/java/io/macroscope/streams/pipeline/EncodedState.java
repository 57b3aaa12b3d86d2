package io.macroscope.streams.pipeline;

import io.macroscope.schemas.LatentState;

/**
 * A freshly encoded state on its way from the encode stage to the forecast stage (in process, not
 * through a topic).
 *
 * @param state the record written to the latent-states topic
 * @param z latent coordinates
 * @param macros macro part of the state in the model's macro order (empty for Dynamics-AE)
 * @param modelLine model line that encoded it
 * @param origin the input it came from (for dead letters)
 */
public record EncodedState(
    LatentState state, float[] z, double[] macros, String modelLine, PendingInput origin) {}
