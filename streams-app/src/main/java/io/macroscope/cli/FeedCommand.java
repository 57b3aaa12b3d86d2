package io.macroscope.cli;

import io.macroscope.connectors.Records;
import io.macroscope.dynamics.data.Inputs;
import io.macroscope.dynamics.data.NpyArray;
import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.particles.Trajectories;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.AvroSerializer;
import io.macroscope.streams.StreamsSettings;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code macroscope feed}: replays a recording as a live feed, without Kafka Connect. */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description = {
      "Replays a file, folder or trajectory into Kafka as a live feed at a fixed rate.",
      "Extended XYZ or LAMMPS dumps (a .xyz / .lammpstrj file, or a folder of them: one feed per"
          + " file) -> ParticleSnapshot"
          + " records on the snapshots topic; .npy (T, H, W) or (T, F), a multi-page TIFF, a"
          + " .png or a folder of images -> Frame records on the frames topic.",
      "Cluster settings as for `macroscope streams` (--config, MACROSCOPE_* environment);"
          + " --bootstrap and --registry override them."
    })
final class FeedCommand implements Callable<Integer> {

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "what to replay")
  Path input;

  @Option(names = "--topic", paramLabel = "T", description = "topic (default: frames or snapshots)")
  String topic;

  @Option(
      names = "--rate",
      defaultValue = "10",
      paramLabel = "R",
      description = "records per second; 0 = as fast as possible (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--source-id", paramLabel = "ID", description = "record key (default: file name)")
  String sourceId;

  @Option(
      names = "--species",
      split = ",",
      paramLabel = "LABEL",
      description = "species labels in the serving model's order (XYZ files with a species column)")
  List<String> species = new ArrayList<>();

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers")
  String bootstrap;

  @Option(names = "--registry", paramLabel = "URL", description = "schema registry URL")
  String registry;

  @Option(names = "--config", paramLabel = "FILE", description = "properties file (see `streams`)")
  Path config;

  /** One record to send. */
  private record Item(String key, GenericContainer value) {}

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(input)) {
      throw new NoSuchFileException(input.toString());
    }
    if (!(rate >= 0) || rate > 1_000_000) {
      throw new IllegalArgumentException("--rate must be in [0, 1000000], got " + rate);
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    if (bootstrap != null) {
      overrides.put("bootstrap.servers", bootstrap);
    }
    if (registry != null) {
      overrides.put("schema.registry.url", registry);
    }
    StreamsSettings settings = StreamsSettings.load(config, System.getenv(), overrides);
    boolean particles = isTrajectory(input);
    String target =
        topic != null ? topic : settings.topics().of(particles ? Topics.SNAPSHOTS : Topics.FRAMES);
    List<Item> items = particles ? snapshots() : frames();
    Map<String, Object> configs = new HashMap<>(settings.clientConfigs());
    configs.put(ProducerConfig.ACKS_CONFIG, "all");
    configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    AvroSerializer<GenericContainer> values = new AvroSerializer<>();
    values.configure(configs, false);
    AtomicLong failed = new AtomicLong();
    AtomicReference<Exception> firstError = new AtomicReference<>();
    System.out.printf(
        "feeding %d %s from %s to %s at %s%n",
        items.size(),
        particles ? "snapshots" : "frames",
        input,
        target,
        rate == 0 ? "full speed" : rate + " records/s");
    long start = System.nanoTime();
    long lastReport = start;
    try (KafkaProducer<String, GenericContainer> producer =
        new KafkaProducer<>(configs, new StringSerializer(), values)) {
      for (int i = 0; i < items.size(); i++) {
        if (rate > 0) {
          long due = start + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        Item item = items.get(i);
        producer.send(
            new ProducerRecord<>(target, item.key(), item.value()),
            (meta, error) -> {
              if (error != null) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, error);
              }
            });
        if (System.nanoTime() - lastReport > 1_000_000_000L) {
          lastReport = System.nanoTime();
          System.out.printf("  sent %d / %d%n", i + 1, items.size());
        }
      }
      producer.flush();
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(
          failed.get() + " records could not be sent: " + firstError.get().getMessage());
    }
    System.out.printf(
        "sent %d records in %.1f s%n", items.size(), (System.nanoTime() - start) / 1e9);
    return 0;
  }

  private static boolean isTrajectory(Path path) throws java.io.IOException {
    if (Trajectories.isTrajectory(path)) {
      return true;
    }
    if (Files.isDirectory(path)) {
      try (Stream<Path> list = Files.list(path)) {
        return list.anyMatch(Trajectories::isTrajectory);
      }
    }
    return false;
  }

  private List<Item> snapshots() throws java.io.IOException {
    List<Item> out = new ArrayList<>();
    for (Path file : Trajectories.files(input)) {
      String name = file.getFileName().toString();
      String id = sourceId != null ? sourceId : name.substring(0, name.lastIndexOf('.'));
      List<ParticleFrame> frames = Trajectories.readOne(file);
      for (int i = 0; i < frames.size(); i++) {
        out.add(new Item(id, Records.snapshot(frames.get(i), id, i, species)));
      }
    }
    return out;
  }

  private List<Item> frames() throws java.io.IOException {
    NpyArray array = Inputs.read(input);
    int[] shape = array.shape();
    int h;
    int w;
    if (shape.length == 3) {
      h = shape[1];
      w = shape[2];
    } else if (shape.length == 2) {
      h = 1;
      w = shape[1];
    } else {
      throw new IllegalArgumentException(
          input + ": shape " + java.util.Arrays.toString(shape) + " is not (T, H, W) or (T, F)");
    }
    String name = input.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String id = sourceId != null ? sourceId : dot > 0 ? name.substring(0, dot) : name;
    List<Item> out = new ArrayList<>(shape[0]);
    int size = h * w;
    for (int t = 0; t < shape[0]; t++) {
      float[] page = new float[size];
      System.arraycopy(array.data(), t * size, page, 0, size);
      out.add(new Item(id, Records.frame(page, h, w, id, t, Map.of("file", name))));
    }
    return out;
  }
}
