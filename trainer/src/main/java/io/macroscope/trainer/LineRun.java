package io.macroscope.trainer;

import io.macroscope.dynamics.bundle.LatentAlignment;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.schemas.ModelMethod;
import java.nio.file.Path;
import java.util.Map;

/**
 * The method-specific half of one trainer run, over the data window it read: training the
 * candidate, scoring any bundle of the line on the held-out part, and the reference batch both
 * models encode for the latent alignment. {@link TrainerService} does the rest (gate, align, store,
 * announce) the same way for every method.
 */
interface LineRun {

  ModelMethod method();

  /** Trains the candidate and writes its bundle to {@code dir} (which does not exist yet). */
  ModelBundle train(Path dir, String version, long seed, Map<String, String> lineage);

  /** Held-out metrics of a bundle of this line (lower is better for every one). */
  Map<String, Double> score(ModelBundle bundle);

  /** The metric the release gate compares (a key of {@link #score}). */
  String gatedMetric();

  /** Latent rows (n x d) of the shared reference batch under {@code bundle}. */
  float[] reference(ModelBundle bundle);

  /** Rows n of the reference batch. */
  int referenceRows();

  /**
   * The map carrying the candidate's latents onto the serving ones (rows of the reference batch):
   * an isometry by default.
   */
  default LatentAlignment fitAlignment(float[] candidate, float[] serving, int d) {
    return LatentAlignment.fit(candidate, serving, referenceRows(), d);
  }

  /** Where the data came from (topic, sources, offsets, sizes). */
  Map<String, String> lineage();
}
