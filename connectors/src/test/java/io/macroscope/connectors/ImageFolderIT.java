package io.macroscope.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.embedded.EmbeddedClusterExtension;
import io.macroscope.schemas.DeadLetter;
import io.macroscope.schemas.Frame;
import io.macroscope.schemas.PixelType;
import io.macroscope.schemas.Topics;
import java.awt.image.BufferedImage;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The folder watcher on a real Connect worker, against the real broker and registry. */
@ExtendWith(EmbeddedClusterExtension.class)
class ImageFolderIT {

  @TempDir Path dir;

  @Test
  void shouldEmitSettledImagesInNameOrderSkipCorruptOnesAndResumeAfterRestart(
      EmbeddedCluster cluster) throws Exception {
    String prefix = "img-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    cluster.createTopics(List.of(Topics.FRAMES, Topics.DEAD_LETTERS), Optional.of(1), prefix);
    Path folder = Files.createDirectories(dir.resolve("acquisition"));
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.macroscope.connectors.images.ImageFolderSourceConnector");
    config.put("tasks.max", "1");
    config.put("directory", folder.toString());
    config.put("topic", prefix + "frames");
    config.put("dead.letter.topic", prefix + "dead-letters");
    config.put("schema.registry.url", cluster.registryUrl());
    config.put("poll.interval.ms", "50");
    config.put("settle.ms", "300");
    config.put("source.id", "scope-1");
    Path offsets = dir.resolve("offsets");

    stack(folder.resolve("img-000.tif"), 3, 0);
    png(folder.resolve("img-001.png"), 3000);
    Files.write(folder.resolve("img-002.png"), new byte[] {1, 2, 3, 4}); // not an image
    try (ConnectWorker worker = new ConnectWorker(cluster, offsets)) {
      worker.put("scope", config);
      List<Frame> first =
          XyzTailIT.read(cluster, prefix + "frames", frames(cluster), l -> l.size() >= 4);
      assertEquals(4, first.size());
    }
    // written while no worker runs
    png(folder.resolve("img-003.png"), 5000);
    // and one the microscope is still writing, in chunks, once the next worker runs
    Path whole = dir.resolve("img-004.tif");
    stack(whole, 2, 7000);
    byte[] bytes = Files.readAllBytes(whole);
    Path growing = folder.resolve("img-004.tif");
    try (ConnectWorker worker = new ConnectWorker(cluster, offsets)) {
      worker.put("scope", config);
      int chunk = bytes.length / 6 + 1;
      for (int at = 0; at < bytes.length; at += chunk) {
        Files.write(
            growing,
            java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk)),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        Thread.sleep(120); // less than settle.ms between writes
      }
      List<Frame> all =
          XyzTailIT.read(cluster, prefix + "frames", frames(cluster), l -> l.size() >= 7);
      all =
          XyzTailIT.read(
              cluster,
              prefix + "frames",
              frames(cluster),
              l -> l.size() > 7,
              Duration.ofSeconds(2));
      assertEquals(
          java.util.stream.LongStream.range(0, 7).boxed().toList(),
          all.stream().map(Frame::getSequence).toList(),
          "every page once, in order, across the restart");
      assertEquals(
          List.of(
              "img-000.tif",
              "img-000.tif",
              "img-000.tif",
              "img-001.png",
              "img-003.png",
              "img-004.tif",
              "img-004.tif"),
          all.stream().map(f -> f.getMetadata().get("file")).toList());
      Frame page = all.get(2);
      assertEquals(PixelType.U16, page.getPixelType());
      assertEquals("scope-1", page.getSourceId());
      assertEquals(4, page.getWidth());
      assertEquals(2, page.getHeight());
      // page 2 of the first stack, row 1, column 3
      int sample =
          page.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN).getShort(2 * (4 + 3))
              & 0xFFFF;
      assertEquals(2 * 1000 + 100 + 3, sample);
      List<DeadLetter> letters =
          XyzTailIT.read(
              cluster, prefix + "dead-letters", XyzTailIT.deadLetters(cluster), l -> !l.isEmpty());
      assertEquals(1, letters.size());
      assertTrue(letters.get(0).getReason().contains("img-002.png"), letters.get(0).getReason());
      assertEquals(4, letters.get(0).getOriginalValue().remaining());
    }
  }

  private static BufferedImage gray16(int base) {
    BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 4; x++) {
        image.getRaster().setSample(x, y, 0, base + 100 * y + x);
      }
    }
    return image;
  }

  private static void png(Path file, int base) throws Exception {
    ImageIO.write(gray16(base), "png", file.toFile());
  }

  private static void stack(Path file, int pages, int base) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int p = 0; p < pages; p++) {
        writer.writeToSequence(new IIOImage(gray16(base + 1000 * p), null, null), null);
      }
      writer.endWriteSequence();
    }
    writer.dispose();
  }

  static org.apache.kafka.common.serialization.Deserializer<Frame> frames(EmbeddedCluster cluster) {
    return Topics.FRAMES.valueSerde(cluster.schemaRegistry()).deserializer();
  }
}
