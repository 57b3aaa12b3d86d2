package io.macroscope.dynamics.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.particles.ParticleFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParticleSimulatorsTest {

  @Test
  void shouldLowerThePairEnergyOfAStepForceSystemDeterministically() {
    StepForceParticles sim = StepForceParticles.defaults();
    List<ParticleFrame> a = sim.simulate(60, 101, 2, 3);
    List<ParticleFrame> b = sim.simulate(60, 101, 2, 3);
    assertArrayEquals(a.get(100).positions(), b.get(100).positions(), "same seed, same run");
    // A gradient flow of the pair energy: it can only go down (up to Euler error).
    for (int t = 1; t < a.size(); t++) {
      assertTrue(a.get(t).macro("energy") <= a.get(t - 1).macro("energy") + 1e-9, "step " + t);
    }
    assertTrue(a.get(100).macro("energy") < a.get(0).macro("energy") - 0.01);
  }

  @Test
  void shouldMatchTheClosedFormPairEnergy() {
    StepForceParticles sim = new StepForceParticles(10, 0.5, 0.01, 1);
    // Two particles at distance r: P(r) = ln cosh(a (1 - r)) / a - b r, one pair.
    double r = 1.7;
    double expected = Math.log(Math.cosh(10 * (1 - r))) / 10 - 0.5 * r;
    assertEquals(expected, sim.energy(new double[] {0, 0, r, 0}, 2), 1e-12);
  }

  @Test
  void shouldMixTwoLennardJonesSpeciesOverTime() {
    BinaryLennardJones sim = BinaryLennardJones.defaults();
    double early = 0;
    double late = 0;
    for (int seed = 0; seed < 4; seed++) {
      List<ParticleFrame> t = sim.simulate(101, 0.5, seed);
      early += t.get(0).macro("mixing") / 4;
      late += t.get(100).macro("mixing") / 4;
      assertEquals(sim.particles(), t.get(0).n());
      for (float v : t.get(100).positions()) {
        assertTrue(v >= 0 && v <= 10, "reflective walls keep particles in the box");
      }
    }
    assertTrue(late > early + 0.1, "mixing rises: " + early + " -> " + late);
  }
}
