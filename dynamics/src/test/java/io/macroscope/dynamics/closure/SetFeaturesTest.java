package io.macroscope.dynamics.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.StepForceParticles;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SetFeaturesTest {

  private static final StepForceParticles SIM = StepForceParticles.defaults();

  @Test
  void shouldFindTheEigenvectorsOfASymmetricMatrixByDecreasingEigenvalue() {
    // eigenvalues 6, 3, 1 along three orthonormal directions, mixed into one matrix
    double[][] q = {
      {2 / 3.0, 2 / 3.0, 1 / 3.0}, {-2 / 3.0, 1 / 3.0, 2 / 3.0}, {1 / 3.0, -2 / 3.0, 2 / 3.0}
    };
    double[] lambda = {3, 1, 6};
    double[] a = new double[9];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < 3; k++) {
          a[r * 3 + c] += lambda[k] * q[k][r] * q[k][c];
        }
      }
    }
    double[] rows = PrincipalAxes.eigenvectors(a, 3);
    int[] expected = {2, 0, 1}; // the rows of q by decreasing eigenvalue
    for (int k = 0; k < 3; k++) {
      double dot = 0;
      for (int j = 0; j < 3; j++) {
        dot += rows[k * 3 + j] * q[expected[k]][j];
      }
      assertEquals(1, Math.abs(dot), 1e-9, "axis " + k + ": " + Arrays.toString(rows));
    }
  }

  @Test
  void shouldGiveRotatedMirroredShiftedAndShuffledCopiesTheSameAlignedFeatures() {
    ParticleFrame frame = SIM.simulate(40, 1, 3, 11).get(0);
    SetFeatures aligned = SetFeatures.fit(List.of(frame), List.of(), true, true);
    SetFeatures centred = SetFeatures.fit(List.of(frame), List.of(), true, false);
    float[][] a = sortedRows(aligned.pad(List.of(frame)));
    for (double angle : new double[] {0.7, 2.1, 3.9, 5.5}) {
      for (boolean mirror : new boolean[] {false, true}) {
        float[][] b = sortedRows(aligned.pad(List.of(moved(frame, angle, mirror, new Random(5)))));
        for (int i = 0; i < a.length; i++) {
          String at = "angle " + angle + (mirror ? " mirrored" : "") + ", particle " + i;
          assertEquals(a[i][0], b[i][0], 1e-4, at + " x");
          assertEquals(a[i][1], b[i][1], 1e-4, at + " y");
        }
      }
    }
    ParticleFrame copy = moved(frame, 2.1, true, new Random(5));
    float[][] c = sortedRows(centred.pad(List.of(frame)));
    float[][] d = sortedRows(centred.pad(List.of(copy)));
    double differs = 0;
    for (int i = 0; i < c.length; i++) {
      differs = Math.max(differs, Math.abs(c[i][1] - d[i][1]));
    }
    assertTrue(differs > 0.1, "centring alone keeps the orientation: " + differs);
  }

  @Test
  void shouldPutTheWidestSpreadOnTheFirstAxisAndTheHeavierTailOnItsPositiveSide() {
    // a long thin cloud along the diagonal with a lump at its lower-left end
    Random random = new Random(3);
    int n = 60;
    float[] p = new float[2 * n];
    for (int i = 0; i < n; i++) {
      double t = i < 45 ? random.nextGaussian() * 0.3 : -2 + random.nextGaussian() * 0.1;
      double w = random.nextGaussian() * 0.05;
      p[2 * i] = (float) ((t - w) / Math.sqrt(2));
      p[2 * i + 1] = (float) ((t + w) / Math.sqrt(2));
    }
    ParticleFrame frame = ParticleFrame.of(n, 2, p, Map.of());
    SetFeatures aligned = SetFeatures.fit(List.of(frame), List.of(), true, true);
    SetBatch batch = aligned.pad(List.of(frame));
    double varX = 0;
    double varY = 0;
    double thirdX = 0;
    for (int i = 0; i < n; i++) {
      double x = batch.x()[2 * i];
      double y = batch.x()[2 * i + 1];
      varX += x * x;
      varY += y * y;
      thirdX += x * x * x;
    }
    assertTrue(varX > 20 * varY, "spread x " + varX + " y " + varY);
    assertTrue(thirdX > 0, "third moment along the first axis " + thirdX);
  }

  @Test
  void shouldRefuseToAlignUncentredPositions() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new SetFeatures(2, List.of(), List.of(), new double[2], new double[2], false, true));
  }

  /** The frame turned by {@code angle}, mirrored, shifted and its particles shuffled. */
  static ParticleFrame moved(ParticleFrame frame, double angle, boolean mirror, Random random) {
    int n = frame.n();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Collections.shuffle(Arrays.asList(order), random);
    float[] p = frame.positions();
    float[] out = new float[2 * n];
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    for (int i = 0; i < n; i++) {
      double x = p[2 * order[i]];
      double y = mirror ? -p[2 * order[i] + 1] : p[2 * order[i] + 1];
      out[2 * i] = (float) (c * x - s * y + 3.5);
      out[2 * i + 1] = (float) (s * x + c * y - 1.25);
    }
    return frame.withPositions(out);
  }

  /** The padded rows of a one-set batch, sorted by their first then second value. */
  private static float[][] sortedRows(SetBatch batch) {
    float[][] rows = new float[batch.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Arrays.copyOfRange(batch.x(), i * batch.features(), (i + 1) * batch.features());
    }
    Arrays.sort(
        rows, (u, v) -> u[0] != v[0] ? Float.compare(u[0], v[0]) : Float.compare(u[1], v[1]));
    return rows;
  }
}
