package io.macroscope.trainer;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.schemas.ParticleSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A closure model's training window: the recent particle snapshots of every matching feed, cut into
 * trajectories. A trajectory is a run of one feed's snapshots whose sequence numbers follow each
 * other and whose simulation time increases — a simulation that restarts (time going back) or a gap
 * in the sequence begins a new one. Records that do not decode or fail the snapshot checks are
 * skipped (the streams-app dead-letters them).
 *
 * @param trajectories time-ordered microstates, ordered by when each trajectory ended (oldest
 *     first)
 * @param snapshots snapshots in all trajectories
 * @param lineage topic, sources and offsets read
 */
public record SnapshotWindow(
    List<List<ParticleFrame>> trajectories, int snapshots, Map<String, String> lineage) {

  /** A decoded snapshot with its frame. */
  record Entry(ParticleSnapshot snapshot, ParticleFrame frame) {}

  /**
   * Reads up to the topic's current end, at most {@code window} snapshots back per partition.
   *
   * @param labels species labels by index (empty: species index i is named "i")
   */
  public static SnapshotWindow read(
      Map<String, Object> clientConfigs,
      String topic,
      Pattern sources,
      int window,
      List<String> labels,
      Duration timeout) {
    Map<String, List<Entry>> bySource = new HashMap<>();
    String offsets =
        TopicScan.values(
            clientConfigs,
            topic,
            ParticleSnapshot.class,
            (begin, end) -> end - window,
            timeout,
            (offset, s) -> {
              if (s != null && sources.matcher(s.getSourceId()).matches()) {
                SnapshotFrames.Decoded d = SnapshotFrames.decode(s);
                ParticleFrame frame = d.toFrame(labels.isEmpty() ? indices(d) : labels);
                bySource
                    .computeIfAbsent(s.getSourceId(), k -> new ArrayList<>())
                    .add(new Entry(s, frame));
              }
            },
            (offset, e) -> {}); // undecodable or invalid input: the streams-app dead-letters it
    List<List<ParticleFrame>> trajectories = cut(bySource);
    int count = trajectories.stream().mapToInt(List::size).sum();
    Map<String, String> lineage = new LinkedHashMap<>();
    lineage.put("window.topic", topic);
    lineage.put("window.sources", String.join(",", new java.util.TreeSet<>(bySource.keySet())));
    lineage.put("window.offsets", offsets);
    lineage.put("window.snapshots", Integer.toString(count));
    lineage.put("window.trajectories", Integer.toString(trajectories.size()));
    return new SnapshotWindow(trajectories, count, lineage);
  }

  /**
   * Cuts each feed's snapshots (any order) into trajectories — a new one where the sequence has a
   * gap or the simulation time does not increase — and orders all of them by the capture time of
   * their last snapshot (oldest first).
   */
  static List<List<ParticleFrame>> cut(Map<String, List<Entry>> bySource) {
    record Run(List<ParticleFrame> frames, long ended) {}
    List<Run> runs = new ArrayList<>();
    for (List<Entry> feed : bySource.values()) {
      List<Entry> entries = new ArrayList<>(feed);
      entries.sort(Comparator.comparingLong(e -> e.snapshot().getSequence()));
      List<ParticleFrame> current = new ArrayList<>();
      Entry previous = null;
      for (Entry e : entries) {
        boolean continues =
            previous != null
                && e.snapshot().getSequence() == previous.snapshot().getSequence() + 1
                && e.snapshot().getSimulationTime() > previous.snapshot().getSimulationTime();
        if (!continues && !current.isEmpty()) {
          runs.add(new Run(current, previous.snapshot().getCaptureTime().toEpochMilli()));
          current = new ArrayList<>();
        }
        current.add(e.frame());
        previous = e;
      }
      if (!current.isEmpty()) {
        runs.add(new Run(current, previous.snapshot().getCaptureTime().toEpochMilli()));
      }
    }
    runs.sort(Comparator.comparingLong(Run::ended));
    return runs.stream().map(Run::frames).toList();
  }

  /**
   * Every trajectory of an extended-XYZ file or a directory of them (in file-name order: the last
   * ones are held out).
   *
   * @throws IllegalStateException with the reason when they cannot be read
   */
  public static SnapshotWindow files(java.nio.file.Path path) {
    List<List<ParticleFrame>> trajectories =
        TrainerInput.read(path, io.macroscope.dynamics.particles.Trajectories::read);
    int count = trajectories.stream().mapToInt(List::size).sum();
    Map<String, String> lineage = new LinkedHashMap<>();
    lineage.put("window.input", path.toAbsolutePath().toString());
    lineage.put("window.snapshots", Integer.toString(count));
    lineage.put("window.trajectories", Integer.toString(trajectories.size()));
    return new SnapshotWindow(trajectories, count, lineage);
  }

  /** Species named by their indices, "0".."k". */
  private static List<String> indices(SnapshotFrames.Decoded d) {
    int max = -1;
    if (d.species() != null) {
      for (int s : d.species()) {
        max = Math.max(max, s);
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i <= max; i++) {
      names.add(Integer.toString(i));
    }
    return names;
  }
}
