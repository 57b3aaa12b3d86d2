package io.macroscope.streams.pipeline;

import io.macroscope.schemas.DeadLetter;
import io.macroscope.schemas.LatentState;
import io.macroscope.streams.model.ModelCatalog;
import io.macroscope.streams.model.ServingModel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encode stage: validates each input on arrival (invalid ones go straight to the dead letters),
 * parks valid ones in a changelogged store, and encodes them in micro-batches when the batch is
 * full or the oldest has waited long enough.
 *
 * <p>Exactly-once with batching: a parked input is part of the store's changelog, written in the
 * same transaction that commits its consumed offset, and it leaves the store in the transaction
 * that writes its latent state. A crash between the two finds it in the restored store and encodes
 * it then; a crash during a flush aborts the flush's transaction, so nothing is written twice.
 * Inputs are numbered on arrival and flushed in that order, so each source's order is kept.
 *
 * @param <T> decoded input
 */
public final class EncodeProcessor<T> implements Processor<byte[], byte[], Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(EncodeProcessor.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();
  // at most this many batches of waiting inputs are also kept decoded in the heap
  private static final int DECODED_BATCHES = 4;

  private final InputKind<T> kind;
  private final String modelLine;
  private final ModelCatalog catalog;
  private final String storeName;
  private final int maxBatch;
  private final Duration maxWait;
  private final PipelineNodes nodes;
  private final PipelineMetrics metrics;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Long, byte[]> pending;
  // Pending ids form one run [nextId - pendingCount, nextId): numbered on arrival, removed in that
  // order (also in any prefix of the changelog, so after a restore). A batch is read as a range
  // from the first, so the store's cache does not copy the keys of the inputs already encoded
  // since the last commit (tombstones until then), as all() does.
  private long nextId;
  private long pendingCount;
  private long lastNoModelWarning;
  private long oldestPendingSince = Long.MAX_VALUE;
  // inputs decoded on arrival, so a flush need not decode them again; at most DECODED_BATCHES
  // batches are kept (inputs waiting for a model would otherwise hold one decoded copy each in the
  // heap), the others, and restored ones, are decoded at the flush
  private final Map<Long, T> decodedById = new HashMap<>();

  public EncodeProcessor(
      InputKind<T> kind,
      String modelLine,
      ModelCatalog catalog,
      String storeName,
      int maxBatch,
      Duration maxWait,
      PipelineNodes nodes,
      PipelineMetrics metrics) {
    this.kind = kind;
    this.modelLine = modelLine;
    this.catalog = catalog;
    this.storeName = storeName;
    this.maxBatch = maxBatch;
    this.maxWait = maxWait;
    this.nodes = nodes;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.pending = context.getStateStore(storeName);
    try (KeyValueIterator<Long, byte[]> all = pending.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        nextId = Math.max(nextId, entry.key + 1);
        pendingCount++;
      }
    }
    if (pendingCount > 0) {
      LOG.info(
          "{} {}: {} inputs restored from the pending store; encoding them first",
          context.taskId(),
          kind.name(),
          pendingCount);
    }
    // restored inputs have waited long enough already
    oldestPendingSince = pendingCount > 0 ? 0 : Long.MAX_VALUE;
    // check the deadline four times per wait: a batch is flushed when its oldest input has waited
    // maxWait, not at fixed ticks (which would cut batches short while a backlog drains)
    Duration every = Duration.ofMillis(Math.max(1, maxWait.toMillis() / 4));
    context.schedule(
        every,
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          if (now - oldestPendingSince >= maxWait.toMillis()) {
            flush();
          }
        });
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    PendingInput input =
        new PendingInput(
            meta.topic(),
            meta.partition(),
            meta.offset(),
            record.timestamp(),
            record.key(),
            record.value());
    metrics.received(kind.name());
    T value;
    try {
      value = kind.decode(record.value());
    } catch (InvalidInputException e) {
      deadLetter(input, DeadLetters.VALIDATE, e);
      return;
    }
    if (decodedById.size() < DECODED_BATCHES * maxBatch) {
      decodedById.put(nextId, value);
    }
    pending.put(nextId++, input.toBytes());
    if (pendingCount == 0) {
      oldestPendingSince = context.currentSystemTimeMs();
    }
    pendingCount++;
    if (pendingCount >= maxBatch) {
      flush();
    }
  }

  /** Encodes everything pending, in arrival order, in batches of at most maxBatch. */
  private void flush() {
    if (pendingCount == 0) {
      return;
    }
    ServingModel model = catalog.acquire(modelLine);
    if (model == null) {
      long now = System.currentTimeMillis();
      if (now - lastNoModelWarning > 10_000) {
        LOG.warn(
            "{} {}: {} inputs wait for a release of model '{}' on the models topic",
            context.taskId(),
            kind.name(),
            pendingCount,
            modelLine);
        lastNoModelWarning = now;
      }
      return;
    }
    try {
      // batch by batch: take up to maxBatch entries, close the iterator, then encode (which
      // deletes them), so the store is never modified under an open iterator
      while (true) {
        List<KeyValue<Long, byte[]>> batch = new ArrayList<>(maxBatch);
        try (KeyValueIterator<Long, byte[]> run =
            pending.range(nextId - pendingCount, Long.MAX_VALUE)) {
          while (run.hasNext() && batch.size() < maxBatch) {
            batch.add(run.next());
          }
        }
        if (batch.isEmpty()) {
          break;
        }
        encodeBatch(model, batch);
        if (batch.size() < maxBatch) {
          break;
        }
      }
      oldestPendingSince = Long.MAX_VALUE;
    } finally {
      model.release();
    }
  }

  private void encodeBatch(ServingModel model, List<KeyValue<Long, byte[]>> entries) {
    List<PendingInput> inputs = new ArrayList<>(entries.size());
    List<T> decoded = new ArrayList<>(entries.size());
    for (KeyValue<Long, byte[]> entry : entries) {
      PendingInput input = PendingInput.fromBytes(entry.value);
      pending.delete(entry.key);
      pendingCount--;
      T value = decodedById.remove(entry.key);
      if (value == null) {
        try {
          value = kind.decode(input.value());
        } catch (InvalidInputException e) {
          deadLetter(input, DeadLetters.VALIDATE, e);
          continue;
        }
      }
      String problem = kind.problem(model, value);
      if (problem != null) {
        deadLetter(input, DeadLetters.ENCODE, new InvalidInputException(problem));
        continue;
      }
      inputs.add(input);
      decoded.add(value);
    }
    if (decoded.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    long cpuStart = CPU_TIME ? THREADS.getCurrentThreadCpuTime() : 0;
    float[] z;
    try {
      z = kind.encode(model, decoded);
      long cpu = CPU_TIME ? THREADS.getCurrentThreadCpuTime() - cpuStart : -1;
      metrics.batch(kind.name(), decoded.size(), System.nanoTime() - start, cpu);
    } catch (RuntimeException batchFailure) {
      // find the culprit(s): encode one by one
      for (int i = 0; i < decoded.size(); i++) {
        try {
          float[] one = kind.encode(model, List.of(decoded.get(i)));
          emit(model, inputs.get(i), decoded.get(i), one, 0);
        } catch (RuntimeException e) {
          deadLetter(inputs.get(i), DeadLetters.ENCODE, e);
        }
      }
      return;
    }
    int d = model.latentDim();
    for (int i = 0; i < decoded.size(); i++) {
      emit(model, inputs.get(i), decoded.get(i), z, i * d);
    }
  }

  private void emit(ServingModel model, PendingInput input, T value, float[] z, int offset) {
    int d = model.latentDim();
    float[] row = new float[d];
    System.arraycopy(z, offset, row, 0, d);
    List<Double> zList = new ArrayList<>(d);
    for (float v : row) {
      if (!Float.isFinite(v)) {
        deadLetter(
            input,
            DeadLetters.ENCODE,
            new InvalidInputException(
                "model " + model.version() + " produced a non-finite latent state"));
        return;
      }
      zList.add((double) v);
    }
    List<String> macroNames = model.macros();
    double[] macros = new double[macroNames.size()];
    for (int k = 0; k < macros.length; k++) {
      macros[k] = kind.macros(value).get(macroNames.get(k));
    }
    String sourceId = kind.sourceId(value);
    LatentState state =
        LatentState.newBuilder()
            .setSourceId(sourceId)
            .setSequence(kind.sequence(value))
            .setCaptureTime(kind.captureTime(value))
            .setEncodeTime(Instant.now())
            .setZ(zList)
            .setMacro(kind.macros(value))
            .setModelVersion(model.version())
            .setMethod(model.method())
            .setSupportDistance(model.supportDistance(row))
            .build();
    metrics.encoded(kind.name(), state);
    context.forward(new Record<>(sourceId, state, input.timestamp()), nodes.latentSink());
    context.forward(
        new Record<>(
            sourceId, new EncodedState(state, row, macros, modelLine, input), input.timestamp()),
        nodes.forecast(kind.name()));
  }

  private void deadLetter(PendingInput input, String stage, RuntimeException error) {
    String application = context.applicationId();
    DeadLetter letter = DeadLetters.of(input, stage, error, application);
    LOG.warn(
        "dead letter: {}-{}@{} at {}: {}",
        input.topic(),
        input.partition(),
        input.offset(),
        stage,
        letter.getReason());
    metrics.deadLetter(kind.name(), stage);
    context.forward(new Record<>(input.key(), letter, input.timestamp()), nodes.deadLetterSink());
  }
}
