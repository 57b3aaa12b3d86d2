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

  // the same field of view and optics as SpotVideo, which trains the demo's model
  static final int SIZE = 64;
  static final int STEPS_PER_FRAME = 20;
  static final double PSF_SIGMA = 1.5;
  static final double PEAK_PHOTONS = 800;
  static final double BACKGROUND_PHOTONS = 20;

  private final String sourceId;
  private final KafkaProducer<String, Frame> producer;
  private final OverdampedLangevin2D walker;
  private final SpotRenderer renderer;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "microscope-feed"));
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final int corruptEvery;

  /**
   * @param corruptEvery every n-th frame is sent with a truncated pixel buffer, to show the
   *     dead-letter path (0: never)
   */
  public MicroscopeFeed(
      String sourceId,
      String bootstrapServers,
      SchemaRegistry registry,
      long seed,
      int corruptEvery) {
    this.sourceId = sourceId;
    this.corruptEvery = corruptEvery;
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
    this.renderer =
        new SpotRenderer(SIZE, -2.2, 2.8, PSF_SIGMA, PEAK_PHOTONS, BACKGROUND_PHOTONS, seed + 1);
  }

  /** Starts producing {@code framesPerSecond} frames per second. */
  public void start(double framesPerSecond) {
    long periodMicros = Math.max(100, Math.round(1e6 / framesPerSecond));
    timer.scheduleAtFixedRate(this::emit, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void emit() {
    walker.advance(STEPS_PER_FRAME);
    short[] pixels = renderer.render(walker.x(), walker.y() - 0.3);
    ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asShortBuffer().put(pixels);
    long seq = sequence.getAndIncrement();
    if (corruptEvery > 0 && seq % corruptEvery == corruptEvery - 1) {
      bytes.limit(bytes.capacity() / 2); // as if the camera dropped half a transfer
    }
    Frame frame =
        Frame.newBuilder()
            .setSourceId(sourceId)
            .setSequence(seq)
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
