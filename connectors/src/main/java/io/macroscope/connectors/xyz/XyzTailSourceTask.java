package io.macroscope.connectors.xyz;

import io.macroscope.connectors.AvroValues;
import io.macroscope.connectors.Records;
import io.macroscope.connectors.SourceSettings;
import io.macroscope.connectors.Version;
import io.macroscope.dynamics.particles.ExtendedXyz;
import io.macroscope.dynamics.particles.ParticleFrame;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one extended XYZ file as a simulation appends to it. Only complete frames are read (the
 * count line, the comment line and N particle lines, each ended by a newline), so a frame being
 * written is picked up on a later poll. The source offset is the byte position after the last frame
 * read and the next sequence number, so a restart resumes exactly there. A malformed frame becomes
 * a dead letter (its text and the reason, naming the file and line) and is skipped.
 */
public final class XyzTailSourceTask extends SourceTask {

  private static final Logger LOG = LoggerFactory.getLogger(XyzTailSourceTask.class);
  private static final int READ_LIMIT = 16 << 20;
  static final String POSITION = "position";
  static final String SEQUENCE = "sequence";

  private XyzTailConfig config;
  private AvroValues values;
  private Map<String, String> partition;
  private long position;
  private long sequence;
  private long lineNumber = 1;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new XyzTailConfig(props);
    values = new AvroValues(props);
    partition = Map.of("file", config.file().toString());
    Map<String, Object> offset = context.offsetStorageReader().offset(partition);
    if (offset != null) {
      position = ((Number) offset.get(POSITION)).longValue();
      sequence = ((Number) offset.get(SEQUENCE)).longValue();
      LOG.info("{}: resuming at byte {} (next sequence {})", config.file(), position, sequence);
    }
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    List<SourceRecord> records = readAvailable();
    if (records.isEmpty()) {
      Thread.sleep(config.getLong(SourceSettings.POLL_INTERVAL_MS));
      return null;
    }
    return records;
  }

  private List<SourceRecord> readAvailable() {
    Path file = config.file();
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    byte[] bytes;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < position) {
        LOG.warn(
            "{} shrank from {} to {} bytes: reading it again from the start", file, position, size);
        position = 0;
        lineNumber = 1;
      }
      int length = (int) Math.min(READ_LIMIT, size - position);
      if (length <= 0) {
        return List.of();
      }
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
        // read what is there
      }
      bytes = Arrays.copyOf(buffer.array(), buffer.position());
    } catch (IOException e) {
      throw new ConnectException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(bytes);
  }

  /** Frames (and dead letters) from the complete part of {@code bytes}; advances the offset. */
  private List<SourceRecord> parse(byte[] bytes) {
    List<SourceRecord> out = new ArrayList<>();
    long base = position;
    int max = config.getInt(XyzTailConfig.BATCH_MAX_FRAMES);
    int at = 0;
    while (out.size() < max) {
      int end = lineEnd(bytes, at);
      if (end < 0) {
        break; // no complete line yet
      }
      String countLine = new String(bytes, at, end - at, StandardCharsets.UTF_8);
      if (countLine.isBlank()) {
        at = end + 1;
        lineNumber++;
        advance(base, at);
        continue;
      }
      int n;
      try {
        n = Integer.parseInt(countLine.trim());
        if (n < 0) {
          throw new NumberFormatException("negative");
        }
      } catch (NumberFormatException e) {
        byte[] line = Arrays.copyOfRange(bytes, at, end + 1);
        IllegalArgumentException error =
            new IllegalArgumentException(
                config.file()
                    + ":"
                    + lineNumber
                    + ": expected the particle count, got '"
                    + countLine.strip()
                    + "'");
        at = end + 1;
        lineNumber++;
        advance(base, at);
        out.add(deadLetter(line, error));
        continue;
      }
      // the frame is complete once its comment line and n particle lines have ended
      int blockEnd = end;
      for (int i = 0; i < n + 1 && blockEnd >= 0; i++) {
        blockEnd = lineEnd(bytes, blockEnd + 1);
      }
      if (blockEnd < 0) {
        break; // still being written
      }
      byte[] block = Arrays.copyOfRange(bytes, at, blockEnd + 1);
      long firstLine = lineNumber;
      at = blockEnd + 1;
      lineNumber += n + 2;
      try {
        ParticleFrame frame = read(block, firstLine);
        long seq = sequence;
        byte[] value =
            values.bytes(
                config.getString(SourceSettings.TOPIC),
                Records.snapshot(frame, config.sourceId(), seq, config.speciesLabels()));
        sequence++;
        advance(base, at);
        out.add(record(config.getString(SourceSettings.TOPIC), value));
      } catch (IllegalArgumentException e) {
        advance(base, at);
        out.add(deadLetter(block, e));
      }
    }
    return out;
  }

  private ParticleFrame read(byte[] block, long firstLine) {
    try {
      ExtendedXyz.FrameReader reader =
          new ExtendedXyz.FrameReader(
              new BufferedReader(
                  new InputStreamReader(new ByteArrayInputStream(block), StandardCharsets.UTF_8)),
              config.file() + " (frame starting at line " + firstLine + ")");
      return reader.next();
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Marks the first {@code at} bytes of the current read (which began at {@code base}) consumed.
   */
  private void advance(long base, int at) {
    position = base + at;
  }

  private Map<String, Object> offset() {
    return Map.of(POSITION, position, SEQUENCE, sequence);
  }

  private SourceRecord deadLetter(byte[] original, Exception error) {
    LOG.warn("{}: skipping unreadable input: {}", config.file(), error.getMessage());
    String topic = config.getString(SourceSettings.DEAD_LETTER_TOPIC);
    byte[] value =
        values.bytes(
            topic,
            Records.unreadable(
                "file:" + config.file(), position, original, "connector-read", error, "xyz-tail"));
    return record(topic, value);
  }

  /** A record of the feed at the current offset. */
  private SourceRecord record(String topic, byte[] value) {
    return new SourceRecord(
        partition,
        offset(),
        topic,
        null,
        Schema.STRING_SCHEMA,
        config.sourceId(),
        Schema.BYTES_SCHEMA,
        value);
  }

  private static int lineEnd(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void stop() {
    if (values != null) {
      values.close();
    }
  }
}
