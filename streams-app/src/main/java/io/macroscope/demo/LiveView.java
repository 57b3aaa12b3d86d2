package io.macroscope.demo;

import io.macroscope.schemas.Alert;
import io.macroscope.schemas.Forecast;
import io.macroscope.schemas.ForecastStep;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the forecasts and alerts topics (read_committed) for the demo's live view: the latest
 * forecast per source, summarised in one line each, and every alert as it happens.
 */
final class LiveView implements AutoCloseable {

  private final KafkaConsumer<String, SpecificRecord> consumer;
  private final Map<String, Forecast> latest = new TreeMap<>();
  private final ConcurrentLinkedQueue<String> alerts = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  LiveView(String bootstrapServers, SchemaRegistry registry) {
    Map<String, Object> configs = new HashMap<>();
    configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Deserializer<Forecast> forecasts = Topics.FORECASTS.valueSerde(registry).deserializer();
    Deserializer<Alert> alertValues = Topics.ALERTS.valueSerde(registry).deserializer();
    Deserializer<SpecificRecord> values =
        (topic, bytes) ->
            topic.equals(Topics.ALERTS.name())
                ? alertValues.deserialize(topic, bytes)
                : forecasts.deserialize(topic, bytes);
    consumer = new KafkaConsumer<>(configs, new StringDeserializer(), values);
    thread = new Thread(this::run, "demo-live-view");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.FORECASTS.name(), Topics.ALERTS.name())) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      while (!closed) {
        for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() instanceof Forecast f) {
            synchronized (latest) {
              latest.put(f.getSourceId(), f);
            }
          } else if (r.value() instanceof Alert a) {
            alerts.add(describe(a));
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** Alerts since the last call, one line each. */
  List<String> drainAlerts() {
    List<String> out = new ArrayList<>();
    for (String line = alerts.poll(); line != null; line = alerts.poll()) {
      out.add(line);
    }
    return out;
  }

  /** One line per source: its latest forecast of the first macro (or z0) now and at the horizon. */
  List<String> forecastLines() {
    List<String> out = new ArrayList<>();
    synchronized (latest) {
      for (Forecast f : latest.values()) {
        List<String> components = f.getComponents();
        int c = components.size() - 1; // closure models list macros last; Dynamics-AE: z1
        if (components.contains("z0") && components.stream().allMatch(n -> n.startsWith("z"))) {
          c = 0;
        }
        ForecastStep now = f.getSteps().get(0);
        ForecastStep end = f.getSteps().get(f.getSteps().size() - 1);
        List<Double> q = end.getQuantiles().get(c);
        out.add(
            String.format(
                "    %-14s #%-6d %s now %+.3f -> in %d steps median %+.3f, 90%% band [%+.3f, %+.3f]  (%s, K=%d)",
                f.getSourceId(),
                f.getSequence(),
                components.get(c),
                now.getMean().get(c),
                end.getStep(),
                q.get(q.size() / 2),
                q.get(0),
                q.get(q.size() - 1),
                f.getModelVersion(),
                f.getEnsembleSize()));
      }
    }
    return out;
  }

  private static String describe(Alert a) {
    return String.format(
        "    ALERT %-8s %s on %s #%d: %s%s",
        a.getStatus(),
        a.getRuleId(),
        a.getSourceId(),
        a.getSequence(),
        a.getMessage(),
        a.getLeadTime() == null ? "" : String.format(" (lead time %.1f)", a.getLeadTime()));
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
