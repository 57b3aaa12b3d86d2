package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.StepForceParticles;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * On a small fixed-seed step-force set, the closure model forecasts the energy from the first frame
 * better than AE-Aug and InvE trained on the same data with the same epochs.
 *
 * <p>The set and budget are the benchmark's {@code CLOSURE_ALIGN=1 CLOSURE_SEED=s bench/closure.sh
 * particles 30 40 51 2 40 closure,ae-aug,inve}: 30 training trajectories of 40 particles and 51
 * frames, 2 autoencoder and 40 dynamics epochs, scored on 20 held-out trajectories. One training
 * seed is not a fair referee here (over seeds 1-8 the closure model beat InvE in 7 and AE-Aug in 8,
 * but seed 2 alone reverses the InvE comparison), so every method is trained with three seeds and
 * the means are compared; the mean over any three consecutive seeds of 1-8 keeps the ordering. With
 * more data and epochs at 40 particles InvE is ahead (README, closure benchmark): this pins the
 * small-budget case the closure issue names, not a general ranking.
 */
class ClosureVersusBaselinesTest {

  private static final StepForceParticles SIM = new StepForceParticles(10, 0.5, 0.03, 1);
  private static final List<Long> SEEDS = List.of(1L, 2L, 3L);

  @Test
  void shouldForecastTheEnergyBetterThanAeAugAndInvEOnASmallSet() {
    List<List<ParticleFrame>> train = simulate(30, 0);
    List<List<ParticleFrame>> test = simulate(20, 100_000);

    double closure = meanRolloutError(ClosureMethod.CLOSURE, train, test);
    double aeAug = meanRolloutError(ClosureMethod.AE_AUG, train, test);
    double invE = meanRolloutError(ClosureMethod.INVE, train, test);

    // Seeds 1-3 measured 0.236 / 0.426 / 0.330: the margins are far wider than a float-level change
    assertTrue(closure < aeAug, () -> "closure " + closure + " vs AE-Aug " + aeAug);
    assertTrue(closure < invE, () -> "closure " + closure + " vs InvE " + invE);
  }

  private static List<List<ParticleFrame>> simulate(int count, int firstSeed) {
    return IntStream.range(0, count)
        .parallel()
        .mapToObj(i -> SIM.simulate(40, 51, 2, firstSeed + i))
        .toList();
  }

  /** The mean over the training seeds of the held-out relative error of whole energy rollouts. */
  private static double meanRolloutError(
      ClosureMethod method, List<List<ParticleFrame>> train, List<List<ParticleFrame>> test) {
    double sum = 0;
    for (long seed : SEEDS) {
      ClosureConfig config =
          ClosureConfig.builder()
              .optMethod(method)
              .optStochastic(false)
              .optAutoencoderEpochs(2)
              .optDynamicsEpochs(40)
              .optSigma(0.1)
              .optAlign(true)
              .optSeed(seed)
              .build();
      try (TrainedClosure model =
          new ClosureTrainer(config, e -> {})
              .fit(train, List.of(StepForceParticles.ENERGY), List.of())) {
        sum +=
            ClosureMetrics.evaluate(test, List.of(StepForceParticles.ENERGY), 1, 0, model::rollout)
                .mre();
      }
    }
    return sum / SEEDS.size();
  }
}
