package io.macroscope.dynamics.nn;

import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * The one way trainers are made here: Adam at the given rate, with a fresh optimizer state. The
 * training loops compute their objective in the block's forward pass and back-propagate it
 * themselves, so the L2 loss DJL's config requires is never evaluated.
 */
public final class AdamTrainers {

  private AdamTrainers() {}

  /** A trainer of {@code model} (not initialised: call {@code initialize} for a new block). */
  public static Trainer of(Model model, Tracker learningRate) {
    return model.newTrainer(
        new DefaultTrainingConfig(Loss.l2Loss())
            .optOptimizer(Optimizer.adam().optLearningRateTracker(learningRate).build()));
  }

  /** A trainer at a fixed rate. */
  public static Trainer of(Model model, float learningRate) {
    return of(model, Tracker.fixed(learningRate));
  }
}
