package io.macroscope.trainer;

import io.macroscope.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads every partition of a topic (read_committed) from a chosen offset up to its current end. */
final class TopicScan {

  /** Where to start in a partition, given its first and end offsets. */
  @FunctionalInterface
  interface Start {
    long offset(long begin, long end);
  }

  /** Takes one decoded value (null for a tombstone) with its offset. */
  @FunctionalInterface
  interface Values<V> {
    void accept(long offset, V value);
  }

  private TopicScan() {}

  /**
   * As {@link #scan}, each value decoded as {@code type} (Avro in the Confluent wire format, the
   * registry named in {@code clientConfigs}). A record whose value does not decode, or that {@code
   * each} rejects with a runtime exception, goes to {@code unreadable} instead and the scan goes
   * on.
   */
  static <V> String values(
      Map<String, Object> clientConfigs,
      String topic,
      Class<V> type,
      Start start,
      Duration timeout,
      Values<V> each,
      BiConsumer<Long, RuntimeException> unreadable) {
    AvroDeserializer<V> values = new AvroDeserializer<>();
    Map<String, Object> serde = new HashMap<>(clientConfigs);
    serde.put("avro.reader.class", type.getName());
    values.configure(serde, false);
    try {
      return scan(
          clientConfigs,
          topic,
          start,
          timeout,
          r -> {
            try {
              each.accept(
                  r.offset(), r.value() == null ? null : values.deserialize(topic, r.value()));
            } catch (RuntimeException e) {
              unreadable.accept(r.offset(), e);
            }
          });
    } finally {
      values.close();
    }
  }

  /**
   * Hands each record before the ends (taken when the scan starts) to {@code each}.
   *
   * @return the ranges read, {@code partition:from-end} comma-separated (for lineage)
   */
  static String scan(
      Map<String, Object> clientConfigs,
      String topic,
      Start start,
      Duration timeout,
      Consumer<ConsumerRecord<byte[], byte[]>> each) {
    Map<String, Object> configs = new HashMap<>(clientConfigs);
    configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    configs.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    StringBuilder ranges = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, timeout);
      for (TopicPartition p : partitions) {
        long from = Math.max(begins.get(p), start.offset(begins.get(p), ends.get(p)));
        consumer.seek(p, from);
        ranges
            .append(ranges.length() == 0 ? "" : ",")
            .append(p.partition())
            .append(':')
            .append(from)
            .append('-')
            .append(ends.get(p));
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
            each.accept(r);
          }
        }
      }
    }
    return ranges.toString();
  }
}
