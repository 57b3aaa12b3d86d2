package io.macroscope.demo;

import io.macroscope.dynamics.sim.OverdampedLangevin2D;
import io.macroscope.dynamics.sim.SpotRenderer;
import io.macroscope.dynamics.sim.ThreeWellPotential;
import io.macroscope.schemas.Frame;
import io.macroscope.schemas.PixelType;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A simulated fluorescence microscope: a spot diffusing in the three-well potential, rendered to
 * 64x64 u16 frames with shot noise, produced to the frames topic at a fixed rate with the true
 * position attached as ground truth.
 */
public final class MicroscopeFeed implements AutoCloseable {

  private static final int SIZE = 64;
  private static final int STEPS_PER_FRAME = 20;

  private final String sourceId;
  private final KafkaProducer<String, Frame> producer;
  private final OverdampedLangevin2D walker;
  private final SpotRenderer renderer;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "microscope-feed"));
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public MicroscopeFeed(
      String sourceId, String bootstrapServers, SchemaRegistry registry, long seed) {
    this.sourceId = sourceId;
    Map<String, Object> configs = new HashMap<>();
    configs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    configs.put(ProducerConfig.ACKS_CONFIG, "all");
    configs.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer =
        new KafkaProducer<>(
            configs,
            Topics.FRAMES.keySerde().serializer(),
            Topics.FRAMES.valueSerde(registry).serializer());
    this.walker = new OverdampedLangevin2D(new ThreeWellPotential(), 1.0, 1e-3, 1.0, 0.0, seed);
    this.renderer = new SpotRenderer(SIZE, -2.0, 2.5, 1.5, 800, 20, seed + 1);
  }

  /** Starts producing {@code framesPerSecond} frames per second. */
  public void start(double framesPerSecond) {
    long periodMicros = Math.max(100, Math.round(1e6 / framesPerSecond));
    timer.scheduleAtFixedRate(this::emit, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void emit() {
    walker.advance(STEPS_PER_FRAME);
    short[] pixels = renderer.render(walker.x(), walker.y());
    ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asShortBuffer().put(pixels);
    Frame frame =
        Frame.newBuilder()
            .setSourceId(sourceId)
            .setSequence(sequence.getAndIncrement())
            .setCaptureTime(Instant.now())
            .setWidth(SIZE)
            .setHeight(SIZE)
            .setChannels(1)
            .setPixelType(PixelType.U16)
            .setPixels(bytes)
            .setGroundTruth(List.of(walker.x(), walker.y()))
            .setMetadata(Map.of("simulator", "three-well-spot"))
            .build();
    producer.send(
        new ProducerRecord<>(Topics.FRAMES.name(), sourceId, frame),
        (metadata, error) -> {
          if (error != null) {
            failures.incrementAndGet();
          }
        });
  }

  /** Frames handed to the producer so far. */
  public long produced() {
    return sequence.get();
  }

  /** Sends that failed (reported by the producer). */
  public long failures() {
    return failures.get();
  }

  /** Stops the timer and flushes what was produced. */
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
