package io.macroscope.trainer;

import io.macroscope.schemas.Frame;
import io.macroscope.schemas.FramePixels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A training window: the most recent frames of the most active feed on a frames topic, in sequence
 * order (a Dynamics-AE learns from consecutive frames of one feed). Records that do not decode are
 * skipped (the streams-app dead-letters them).
 *
 * @param sourceId the feed
 * @param values frames x features, row-major
 * @param frames number of frames
 * @param shape (C, H, W) of every frame
 * @param lineage topic, source and offsets read
 */
public record FrameWindow(
    String sourceId, float[] values, int frames, int[] shape, Map<String, String> lineage) {

  public int features() {
    return shape[0] * shape[1] * shape[2];
  }

  /** The first {@code count} frames. */
  public float[] head(int count) {
    return java.util.Arrays.copyOf(values, count * features());
  }

  /** Frames {@code from} to the end. */
  public float[] tail(int from) {
    return java.util.Arrays.copyOfRange(values, from * features(), values.length);
  }

  /**
   * The last {@code window} frames of a file or image folder ({@code .npy} of shape (T, ...), TIFF
   * stack, PNG folder; see {@link io.macroscope.dynamics.data.Inputs}).
   *
   * @throws IllegalStateException with the reason when it cannot be read
   */
  public static FrameWindow file(java.nio.file.Path path, int window) {
    io.macroscope.dynamics.data.NpyArray data =
        TrainerInput.read(path, io.macroscope.dynamics.data.Inputs::read);
    int[] s = data.shape();
    int[] shape =
        switch (s.length) {
          case 2 -> new int[] {1, 1, s[1]};
          case 3 -> new int[] {1, s[1], s[2]};
          case 4 -> new int[] {s[1], s[2], s[3]};
          default ->
              throw new IllegalStateException(
                  "trainer.input "
                      + path
                      + " must be (T, F), (T, H, W) or (T, C, H, W), got "
                      + java.util.Arrays.toString(s));
        };
    int rows = data.rows();
    int from = Math.max(0, rows - window);
    int f = data.rowSize();
    float[] values = java.util.Arrays.copyOfRange(data.data(), from * f, rows * f);
    Map<String, String> lineage = new LinkedHashMap<>();
    lineage.put("window.input", path.toAbsolutePath().toString());
    lineage.put("window.frames", Integer.toString(rows - from));
    lineage.put("window.rows", from + "-" + (rows - 1));
    return new FrameWindow(path.getFileName().toString(), values, rows - from, shape, lineage);
  }

  /** Reads up to the topic's current end, at most {@code window} frames back per partition. */
  public static FrameWindow read(
      Map<String, Object> clientConfigs,
      String topic,
      Pattern sources,
      int window,
      Duration timeout) {
    Map<String, List<Frame>> bySource = new HashMap<>();
    String offsets =
        TopicScan.values(
            clientConfigs,
            topic,
            Frame.class,
            (begin, end) -> end - window,
            timeout,
            (offset, f) -> {
              if (f != null && sources.matcher(f.getSourceId()).matches()) {
                bySource.computeIfAbsent(f.getSourceId(), k -> new ArrayList<>()).add(f);
              }
            },
            (offset, e) -> {}); // undecodable input: the streams-app dead-letters it
    String source =
        bySource.entrySet().stream()
            .max(Comparator.comparingInt(e -> e.getValue().size()))
            .map(Map.Entry::getKey)
            .orElseThrow(() -> new IllegalStateException("no frames on " + topic + " to train on"));
    List<Frame> chosen = new ArrayList<>(bySource.get(source));
    chosen.sort(Comparator.comparingLong(Frame::getSequence));
    if (chosen.size() > window) {
      chosen = chosen.subList(chosen.size() - window, chosen.size());
    }
    Frame first = chosen.get(0);
    int[] shape = {first.getChannels(), first.getHeight(), first.getWidth()};
    int f = shape[0] * shape[1] * shape[2];
    float[] values = new float[chosen.size() * f];
    int n = 0;
    for (Frame frame : chosen) {
      if (frame.getChannels() != shape[0]
          || frame.getHeight() != shape[1]
          || frame.getWidth() != shape[2]) {
        continue;
      }
      try {
        System.arraycopy(FramePixels.values(frame), 0, values, n * f, f);
        n++;
      } catch (IllegalArgumentException invalid) {
        // skipped like an undecodable record
      }
    }
    Map<String, String> lineage = new LinkedHashMap<>();
    lineage.put("window.topic", topic);
    lineage.put("window.source", source);
    lineage.put("window.offsets", offsets);
    lineage.put("window.frames", Integer.toString(n));
    lineage.put(
        "window.sequences",
        chosen.get(0).getSequence() + "-" + chosen.get(chosen.size() - 1).getSequence());
    return new FrameWindow(source, java.util.Arrays.copyOf(values, n * f), n, shape, lineage);
  }
}
