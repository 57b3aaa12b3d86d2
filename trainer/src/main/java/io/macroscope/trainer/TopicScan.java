package io.macroscope.trainer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  private TopicScan() {}

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
