package io.macroscope.demo;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.StepForceParticles;
import io.macroscope.schemas.ParticleSnapshot;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A simulated particle system streaming its microstates: step-force particles (the Kolokolnikov
 * law) that cluster over time, restarted from a new random Gaussian-mixture start every {@code
 * runFrames} snapshots, each snapshot carrying its pair energy as a macro observable.
 */
public final class ParticleFeed implements AutoCloseable {

  private final String sourceId;
  private final int particles;
  private final int runFrames;
  private final long seed;
  private final KafkaProducer<String, ParticleSnapshot> producer;
  private final StepForceParticles simulator = StepForceParticles.defaults();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "particle-feed"));
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private Iterator<ParticleFrame> run;
  private long runs;

  public ParticleFeed(
      String sourceId,
      String bootstrapServers,
      SchemaRegistry registry,
      int particles,
      int runFrames,
      long seed) {
    this.sourceId = sourceId;
    this.particles = particles;
    this.runFrames = runFrames;
    this.seed = seed;
    Map<String, Object> configs = new HashMap<>();
    configs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    configs.put(ProducerConfig.ACKS_CONFIG, "all");
    configs.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer =
        new KafkaProducer<>(
            configs,
            Topics.SNAPSHOTS.keySerde().serializer(),
            Topics.SNAPSHOTS.valueSerde(registry).serializer());
  }

  /** Starts producing {@code snapshotsPerSecond} snapshots per second. */
  public void start(double snapshotsPerSecond) {
    long periodMicros = Math.max(100, Math.round(1e6 / snapshotsPerSecond));
    timer.scheduleAtFixedRate(this::emit, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void emit() {
    if (run == null || !run.hasNext()) {
      run =
          simulator
              .simulate(particles, runFrames, 2 + (int) (runs % 2), seed * 7919 + runs)
              .iterator();
      runs++;
    }
    ParticleFrame frame = run.next();
    ByteBuffer positions =
        ByteBuffer.allocate(4 * frame.positions().length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : frame.positions()) {
      positions.putFloat(v);
    }
    positions.flip();
    ParticleSnapshot snapshot =
        ParticleSnapshot.newBuilder()
            .setSourceId(sourceId)
            .setSequence(sequence.getAndIncrement())
            .setSimulationTime(frame.macro("time"))
            .setCaptureTime(Instant.now())
            .setSpatialDim(frame.dim())
            .setParticleCount(frame.n())
            .setPositions(positions)
            .setMacros(Map.of(StepForceParticles.ENERGY, frame.macro(StepForceParticles.ENERGY)))
            .build();
    producer.send(
        new ProducerRecord<>(Topics.SNAPSHOTS.name(), sourceId, snapshot),
        (metadata, error) -> {
          if (error != null) {
            failures.incrementAndGet();
          }
        });
  }

  /** Snapshots handed to the producer so far. */
  public long produced() {
    return sequence.get();
  }

  /** Sends that failed (reported by the producer). */
  public long failures() {
    return failures.get();
  }

  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.flush();
    producer.close();
  }
}
