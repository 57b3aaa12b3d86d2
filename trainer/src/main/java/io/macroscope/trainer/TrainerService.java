package io.macroscope.trainer;

import io.macroscope.dynamics.bundle.BundleAligner;
import io.macroscope.dynamics.bundle.BundleArchive;
import io.macroscope.dynamics.bundle.LatentAlignment;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.schemas.Alignment;
import io.macroscope.schemas.ModelRelease;
import io.macroscope.schemas.TopicNames;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.TrainRequest;
import io.macroscope.schemas.TrainerOutcome;
import io.macroscope.schemas.TrainerStatus;
import io.macroscope.schemas.serde.AvroDeserializer;
import io.macroscope.schemas.serde.AvroSerializer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer service for one model line: a Dynamics-AE fed by the frames topic ({@link
 * DynamicsAeRun}) or a closure model fed by the snapshots topic ({@link ClosureRun}). One run: read
 * the training window, hold out its most recent share, train a candidate, score candidate and
 * serving release on the held-out data, and publish the candidate only when its gated metric
 * (reconstruction error; closure: rollout MRE or MMD) beats the serving one's by the configured
 * margin — aligned to the serving latent space on the held-out reference batch (an isometry for a
 * Dynamics-AE, a least-squares affine map for a closure model; folded into the bundle), stored,
 * then announced on the models topic. Every run ends with a status record (published, rejected or
 * failed, with both models' metrics); a failed run changes nothing and the service carries on. A
 * bundle is announced only after it is completely written and stored.
 */
public final class TrainerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

  private final TrainerSettings settings;
  private final TopicNames topics;
  private final String line;
  private final Path workDir;
  private final ModelStore store;
  private final KafkaProducer<String, GenericContainer> producer;
  private final AtomicLong runs = new AtomicLong();
  private final io.micrometer.core.instrument.MeterRegistry meters;
  private final java.util.concurrent.CopyOnWriteArrayList<
          java.util.function.Consumer<TrainerStatus>>
      listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private volatile KafkaConsumer<byte[], byte[]> control;
  private Thread loop;

  public TrainerService(TrainerSettings settings) {
    this(
        settings,
        new io.micrometer.jmx.JmxMeterRegistry(
            io.micrometer.jmx.JmxConfig.DEFAULT, io.micrometer.core.instrument.Clock.SYSTEM));
  }

  /**
   * @param meters where the run meters go ({@code macroscope.trainer.runs{outcome}}, {@code
   *     macroscope.trainer.run.duration}); JMX by default
   */
  public TrainerService(
      TrainerSettings settings, io.micrometer.core.instrument.MeterRegistry meters) {
    this.meters = meters;
    this.settings = settings;
    this.topics = settings.topics();
    this.line = settings.get("trainer.model");
    Path storeDir = Path.of(settings.get("model.store"));
    this.workDir = storeDir.resolve(".work");
    this.store = ModelStore.local(storeDir);
    Map<String, Object> configs = new HashMap<>(settings.clientConfigs());
    configs.put(ProducerConfig.ACKS_CONFIG, "all");
    configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    configs.put(ProducerConfig.CLIENT_ID_CONFIG, settings.get("trainer.id"));
    configs.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    AvroSerializer<GenericContainer> values = new AvroSerializer<>();
    values.configure(configs, false);
    this.producer = new KafkaProducer<>(configs, new StringSerializer(), values);
  }

  /** The service's meters. */
  public io.micrometer.core.instrument.MeterRegistry meters() {
    return meters;
  }

  /** Called with the outcome of every run. */
  public TrainerService onRun(java.util.function.Consumer<TrainerStatus> listener) {
    listeners.add(listener);
    return this;
  }

  /** Runs on its schedule and on requests from the trainer-control topic until closed. */
  public TrainerService start() {
    loop = new Thread(this::loop, "trainer-" + line);
    loop.start();
    return this;
  }

  private void loop() {
    Map<String, Object> configs = new HashMap<>(settings.clientConfigs());
    configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    AvroDeserializer<TrainRequest> requests = new AvroDeserializer<>();
    Map<String, Object> serde = new HashMap<>(settings.clientConfigs());
    serde.put("avro.reader.class", TrainRequest.class.getName());
    requests.configure(serde, false);
    long interval = settings.integer("trainer.interval.s") * 1000L;
    long next = interval > 0 ? System.currentTimeMillis() + interval : Long.MAX_VALUE;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      control = consumer;
      String topic = topics.of(Topics.TRAINER_CONTROL);
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions); // requests made while no trainer ran are not replayed
      while (!closed) {
        long wait = Math.max(10, Math.min(1000, next - System.currentTimeMillis()));
        String reason = null;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(wait))) {
          try {
            TrainRequest request = requests.deserialize(topic, r.value());
            if (request != null && request.getModelName().equals(line)) {
              reason = "requested: " + request.getReason();
            }
          } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable train request: {}", e.getMessage());
          }
        }
        if (reason == null && System.currentTimeMillis() >= next) {
          reason = "scheduled";
        }
        if (reason != null && !closed) {
          runOnce(reason);
          next = interval > 0 ? System.currentTimeMillis() + interval : Long.MAX_VALUE;
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("trainer loop stopped: {}", e.toString(), e);
    } finally {
      requests.close();
    }
  }

  /** One run; never throws: the outcome (and any failure) is in the status it returns and sends. */
  public TrainerStatus runOnce(String reason) {
    long run = runs.incrementAndGet();
    long started = System.nanoTime();
    String version = "r" + Instant.now().toEpochMilli() + "-" + run;
    Map<String, Double> metrics = new LinkedHashMap<>();
    ModelRelease serving = null;
    TrainerStatus status;
    try {
      serving = servingRelease();
      status = train(version, run, reason, serving, metrics);
    } catch (Exception e) {
      if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
        LOG.warn("trainer run {} failed: {}", version, e.getMessage()); // expected conditions
      } else {
        LOG.error("trainer run {} failed: {}", version, e.toString(), e);
      }
      status =
          status(
              version,
              serving,
              TrainerOutcome.FAILED,
              metrics,
              e.getMessage() == null ? e.toString() : e.getMessage());
    }
    try {
      producer.send(new ProducerRecord<>(topics.of(Topics.TRAINER_STATUS), line, status)).get();
    } catch (Exception e) {
      LOG.error("cannot record the status of run {}: {}", version, e.toString());
    }
    LOG.info("run {} ({}): {} {}", version, reason, status.getOutcome(), status.getMessage());
    meters
        .counter("macroscope.trainer.runs", "line", line, "outcome", status.getOutcome().name())
        .increment();
    meters
        .timer("macroscope.trainer.run.duration", "line", line)
        .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    TrainerStatus outcome = status;
    listeners.forEach(l -> l.accept(outcome));
    return status;
  }

  private TrainerStatus train(
      String version, long run, String reason, ModelRelease serving, Map<String, Double> metrics)
      throws Exception {
    LineRun data =
        settings.get("trainer.method").equals("closure")
            ? ClosureRun.read(settings)
            : DynamicsAeRun.read(settings);
    long seed = settings.longValue("trainer.seed") + run - 1;
    Map<String, String> lineage = new LinkedHashMap<>(data.lineage());
    long start = System.nanoTime();
    Files.createDirectories(workDir);
    ModelBundle candidate =
        data.train(workDir.resolve(version + "-candidate"), version, seed, lineage);
    metrics.put("training_seconds", (System.nanoTime() - start) / 1e9);
    String gated = data.gatedMetric();
    Map<String, Double> mine = data.score(candidate);
    mine.forEach((k, v) -> metrics.put("candidate_" + k, v));
    ModelBundle released = candidate;
    LatentAlignment alignment = null;
    if (serving != null) {
      ModelBundle current = ReleaseBundles.fetch(serving, workDir.resolve("serving"));
      Map<String, Double> theirs = data.score(current);
      theirs.forEach((k, v) -> metrics.put("serving_" + k, v));
      double margin = settings.doubleValue("trainer.margin");
      if (!(mine.get(gated) < theirs.get(gated) * (1 - margin))) {
        return status(
            version,
            serving,
            TrainerOutcome.REJECTED,
            metrics,
            String.format(
                "candidate %s %.4g is not %.0f%% better than serving %.4g",
                gated, mine.get(gated), 100 * margin, theirs.get(gated)));
      }
      if (current.manifest().latentDim() != candidate.manifest().latentDim()) {
        throw new IllegalStateException("the serving release has another latent dimension");
      }
      alignment =
          data.fitAlignment(
              data.reference(candidate), data.reference(current), candidate.manifest().latentDim());
      metrics.put("alignment_residual", alignment.residual());
      metrics.put("alignment_relative_residual", alignment.relativeResidual());
      released =
          BundleAligner.align(
              candidate, workDir.resolve(version), alignment, version, serving.getVersion());
    }
    byte[] zip = BundleArchive.zip(released.dir());
    URI uri = store.put(line, version, zip);
    lineage.put("seed", Long.toString(seed));
    lineage.put("epochs", settings.get("trainer.epochs"));
    lineage.put("latent_dim", settings.get("trainer.latent.dim"));
    lineage.put("reason", reason);
    ModelRelease release =
        ModelRelease.newBuilder()
            .setModelName(line)
            .setVersion(version)
            .setMethod(data.method())
            .setBundleUri(uri.toString())
            .setBundle(
                zip.length <= settings.longValue("model.inline.max.bytes")
                    ? ByteBuffer.wrap(zip)
                    : null)
            .setSha256(BundleArchive.sha256(zip))
            .setSizeBytes(zip.length)
            .setCreatedAt(Instant.now())
            .setParentVersion(serving == null ? null : serving.getVersion())
            .setMetrics(metrics)
            .setAlignment(alignment == null ? null : avro(alignment))
            .setLineage(lineage)
            .build();
    producer.send(new ProducerRecord<>(topics.of(Topics.MODELS), line, release)).get();
    return status(
        version,
        serving,
        TrainerOutcome.PUBLISHED,
        metrics,
        serving == null
            ? "first release of " + line
            : String.format(
                "aligned to %s (relative residual %.3f)",
                serving.getVersion(), alignment.relativeResidual()));
  }

  private static Alignment avro(LatentAlignment a) {
    List<Double> r = new ArrayList<>();
    for (double v : a.rotation()) {
      r.add(v);
    }
    List<Double> t = new ArrayList<>();
    for (double v : a.shift()) {
      t.add(v);
    }
    return Alignment.newBuilder()
        .setRotation(r)
        .setShift(t)
        .setScale(1.0)
        .setResidual(a.residual())
        .build();
  }

  private TrainerStatus status(
      String version,
      ModelRelease serving,
      TrainerOutcome outcome,
      Map<String, Double> metrics,
      String message) {
    return TrainerStatus.newBuilder()
        .setModelName(line)
        .setRunId(version)
        .setOutcome(outcome)
        .setVersion(version)
        .setServingVersion(serving == null ? null : serving.getVersion())
        .setMetrics(new LinkedHashMap<>(metrics))
        .setMessage(message == null ? "" : message)
        .setTime(Instant.now())
        .build();
  }

  /** The latest release of this line on the models topic, or null. */
  ModelRelease servingRelease() {
    ModelRelease[] latest = new ModelRelease[1];
    TopicScan.values(
        settings.clientConfigs(),
        topics.of(Topics.MODELS),
        ModelRelease.class,
        (begin, end) -> begin,
        Duration.ofSeconds(30),
        (offset, release) -> {
          if (release != null && release.getModelName().equals(line)) {
            latest[0] = release;
          }
        },
        (offset, e) ->
            LOG.warn("skipping an unreadable release at offset {}: {}", offset, e.getMessage()));
    return latest[0];
  }

  @Override
  public void close() {
    closed = true;
    KafkaConsumer<byte[], byte[]> c = control;
    if (c != null) {
      c.wakeup();
    }
    if (loop != null) {
      try {
        loop.join(120_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    producer.close(Duration.ofSeconds(10));
    meters.close();
  }
}
