package io.macroscope.streams.pipeline;

import io.macroscope.schemas.Forecast;
import io.macroscope.schemas.LatentState;
import java.util.List;

/**
 * What the alert stage judges for one new state: the state itself and, when a forecast was made
 * from it, the forecast and the ensemble members behind it (in process only; the topic carries the
 * statistics).
 *
 * @param members [member][step][component], or null without a forecast
 */
public record Evaluation(
    LatentState state, Forecast forecast, double[][][] members, List<String> components) {}
