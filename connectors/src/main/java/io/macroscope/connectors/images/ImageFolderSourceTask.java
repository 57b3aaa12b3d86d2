package io.macroscope.connectors.images;

import io.macroscope.connectors.AvroValues;
import io.macroscope.connectors.Records;
import io.macroscope.connectors.SourceSettings;
import io.macroscope.connectors.Version;
import io.macroscope.dynamics.data.ImageStacks;
import io.macroscope.dynamics.data.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one folder: files appear as the acquisition software writes them; each is read once it
 * has settled (unchanged size and time for {@code settle.ms}), in name or time order, and every
 * page becomes a Frame. The source offset names the last file and page emitted (and the next
 * sequence number), so a restart resumes at the next page. An unreadable file becomes a dead letter
 * with the reason, and the watcher goes on with the next one.
 */
public final class ImageFolderSourceTask extends SourceTask {

  private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSourceTask.class);
  private static final long MAX_DEAD_LETTER_BYTES = 1 << 20;

  private ImageFolderConfig config;
  private AvroValues values;
  private Map<String, String> partition;
  private String lastFile = "";
  private long lastTime = Long.MIN_VALUE;
  private int nextPage;
  private long sequence;
  // size and time of each candidate when first seen unchanged, to tell when it has settled
  private final Map<String, long[]> seen = new HashMap<>();

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new ImageFolderConfig(props);
    values = new AvroValues(props);
    partition = Map.of("directory", config.directory().toString());
    Map<String, Object> offset = context.offsetStorageReader().offset(partition);
    if (offset != null) {
      lastFile = (String) offset.get("file");
      lastTime = ((Number) offset.get("mtime")).longValue();
      nextPage = ((Number) offset.get("nextPage")).intValue();
      sequence = ((Number) offset.get("sequence")).longValue();
      LOG.info("{}: resuming after {} page {}", config.directory(), lastFile, nextPage - 1);
    }
  }

  private record Candidate(Path path, String name, long time, long size) {}

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    List<SourceRecord> out = new ArrayList<>();
    try {
      // an unfinished file first (a restart in the middle of a stack)
      if (nextPage > 0) {
        Path file = config.directory().resolve(lastFile);
        emit(new Candidate(file, lastFile, lastTime, Files.size(file)), out);
      }
      for (Candidate c : pending()) {
        if (!settled(c)) {
          break; // keep the order: nothing after a file still being written
        }
        emit(c, out);
        if (out.size() >= 256) {
          break;
        }
      }
    } catch (IOException e) {
      throw new ConnectException("cannot list " + config.directory() + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      Thread.sleep(config.getLong(SourceSettings.POLL_INTERVAL_MS));
      return null;
    }
    return out;
  }

  /** Image files after the last one emitted, in the configured order. */
  private List<Candidate> pending() throws IOException {
    if (!Files.isDirectory(config.directory())) {
      return List.of();
    }
    boolean byTime = config.getString(ImageFolderConfig.ORDER).equals("time");
    List<Candidate> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(config.directory())) {
      for (Path p : list.filter(Files::isRegularFile).filter(ImageStacks::handles).toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
          continue; // hidden temporaries of acquisition software
        }
        long time = Files.getLastModifiedTime(p).toMillis();
        Candidate c = new Candidate(p, name, time, Files.size(p));
        boolean after =
            byTime
                ? time > lastTime || (time == lastTime && name.compareTo(lastFile) > 0)
                : name.compareTo(lastFile) > 0;
        if (after) {
          files.add(c);
        }
      }
    }
    Comparator<Candidate> order =
        byTime
            ? Comparator.comparingLong(Candidate::time).thenComparing(Candidate::name)
            : Comparator.comparing(Candidate::name);
    files.sort(order);
    return files;
  }

  private boolean settled(Candidate c) {
    long now = System.currentTimeMillis();
    long[] first = seen.get(c.name());
    if (first == null || first[0] != c.size() || first[1] != c.time()) {
      seen.put(c.name(), new long[] {c.size(), c.time(), now});
      return false;
    }
    return now - first[2] >= config.getLong(ImageFolderConfig.SETTLE_MS)
        && now - c.time() >= config.getLong(ImageFolderConfig.SETTLE_MS);
  }

  private void emit(Candidate c, List<SourceRecord> out) {
    String topic = config.getString(SourceSettings.TOPIC);
    NpyArray pages;
    try {
      pages = ImageStacks.read(c.path());
    } catch (IOException | RuntimeException e) {
      markDone(c);
      out.add(deadLetter(c, e));
      return;
    }
    int h = pages.shape()[1];
    int w = pages.shape()[2];
    int size = h * w;
    for (int p = nextPage; p < pages.shape()[0]; p++) {
      float[] page = new float[size];
      System.arraycopy(pages.data(), p * size, page, 0, size);
      byte[] value =
          values.bytes(
              topic,
              Records.frame(
                  page,
                  h,
                  w,
                  config.sourceId(),
                  sequence,
                  Map.of("file", c.name(), "page", Integer.toString(p))));
      sequence++;
      boolean last = p == pages.shape()[0] - 1;
      lastFile = c.name();
      lastTime = c.time();
      nextPage = last ? 0 : p + 1;
      out.add(record(topic, value));
    }
    seen.remove(c.name());
  }

  private void markDone(Candidate c) {
    lastFile = c.name();
    lastTime = c.time();
    nextPage = 0;
    seen.remove(c.name());
  }

  private SourceRecord record(String topic, byte[] value) {
    return new SourceRecord(
        partition,
        Map.of("file", lastFile, "mtime", lastTime, "nextPage", nextPage, "sequence", sequence),
        topic,
        null,
        Schema.STRING_SCHEMA,
        config.sourceId(),
        Schema.BYTES_SCHEMA,
        value);
  }

  private SourceRecord deadLetter(Candidate c, Exception error) {
    LOG.warn("{}: skipping unreadable file: {}", c.path(), error.getMessage());
    byte[] original = null;
    try {
      if (c.size() <= MAX_DEAD_LETTER_BYTES) {
        original = Files.readAllBytes(c.path());
      }
    } catch (IOException e) {
      // keep the reason without the bytes
    }
    Exception named = new IllegalArgumentException(c.path() + ": " + error.getMessage(), error);
    String topic = config.getString(SourceSettings.DEAD_LETTER_TOPIC);
    byte[] value =
        values.bytes(
            topic,
            Records.unreadable(
                "file:" + c.path(), -1, original, "connector-read", named, "image-folder"));
    return record(topic, value);
  }

  @Override
  public void stop() {
    if (values != null) {
      values.close();
    }
  }
}
