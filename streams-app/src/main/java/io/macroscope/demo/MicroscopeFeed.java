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
import java.util.List;
import java.util.Map;

/**
 * A simulated fluorescence microscope: a spot diffusing in the three-well potential, rendered to
 * 64x64 u16 frames with shot noise, produced to the frames topic at a fixed rate with the true
 * position attached as ground truth.
 */
public final class MicroscopeFeed extends SimulatedFeed<Frame> {

  // the same field of view and optics as SpotVideo, which trains the demo's model
  static final int SIZE = 64;
  static final int STEPS_PER_FRAME = 20;
  static final double PSF_SIGMA = 1.5;
  static final double PEAK_PHOTONS = 800;
  static final double BACKGROUND_PHOTONS = 20;

  private final OverdampedLangevin2D walker;
  private final SpotRenderer renderer;
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
    super(Topics.FRAMES, sourceId, bootstrapServers, registry);
    this.corruptEvery = corruptEvery;
    this.walker = new OverdampedLangevin2D(new ThreeWellPotential(), 1.0, 1e-3, 1.0, 0.0, seed);
    this.renderer =
        new SpotRenderer(SIZE, -2.2, 2.8, PSF_SIGMA, PEAK_PHOTONS, BACKGROUND_PHOTONS, seed + 1);
  }

  @Override
  Frame next(String sourceId, long sequence) {
    walker.advance(STEPS_PER_FRAME);
    short[] pixels = renderer.render(walker.x(), walker.y() - 0.3);
    ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asShortBuffer().put(pixels);
    if (corruptEvery > 0 && sequence % corruptEvery == corruptEvery - 1) {
      bytes.limit(bytes.capacity() / 2); // as if the camera dropped half a transfer
    }
    return Frame.newBuilder()
        .setSourceId(sourceId)
        .setSequence(sequence)
        .setCaptureTime(Instant.now())
        .setWidth(SIZE)
        .setHeight(SIZE)
        .setChannels(1)
        .setPixelType(PixelType.U16)
        .setPixels(bytes)
        .setGroundTruth(List.of(walker.x(), walker.y()))
        .setMetadata(Map.of("simulator", "three-well-spot"))
        .build();
  }
}
