package io.macroscope.demo;

import io.macroscope.connectors.Records;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.StepForceParticles;
import io.macroscope.schemas.ParticleSnapshot;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.util.Iterator;
import java.util.List;

/**
 * A simulated particle system streaming its microstates: step-force particles (the Kolokolnikov
 * law) that cluster over time, restarted from a new random Gaussian-mixture start every {@code
 * runFrames} snapshots, each snapshot carrying its pair energy as a macro observable.
 */
public final class ParticleFeed extends SimulatedFeed<ParticleSnapshot> {

  private final int particles;
  private final int runFrames;
  private final long seed;
  private final StepForceParticles simulator = StepForceParticles.defaults();
  private Iterator<ParticleFrame> run;
  private long runs;

  public ParticleFeed(
      String sourceId,
      String bootstrapServers,
      SchemaRegistry registry,
      int particles,
      int runFrames,
      long seed) {
    super(Topics.SNAPSHOTS, sourceId, bootstrapServers, registry);
    this.particles = particles;
    this.runFrames = runFrames;
    this.seed = seed;
  }

  @Override
  ParticleSnapshot next(String sourceId, long sequence) {
    if (run == null || !run.hasNext()) {
      run =
          simulator
              .simulate(particles, runFrames, 2 + (int) (runs % 2), seed * 7919 + runs)
              .iterator();
      runs++;
    }
    return Records.snapshot(run.next(), sourceId, sequence, List.of());
  }
}
