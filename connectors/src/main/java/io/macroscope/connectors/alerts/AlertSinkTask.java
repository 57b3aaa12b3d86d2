package io.macroscope.connectors.alerts;

import io.macroscope.connectors.Version;
import io.macroscope.schemas.Alert;
import io.macroscope.schemas.serde.AvroDeserializer;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared part of the alert sinks: turns each record's bytes (Avro in the Confluent wire format)
 * into an alert and hands it to {@link #deliver}; a record that cannot be read or delivered is
 * reported through Connect's errant-record reporter (the worker's dead-letter queue with {@code
 * errors.tolerance=all}) and the task goes on.
 */
public abstract class AlertSinkTask extends SinkTask {

  private static final Logger LOG = LoggerFactory.getLogger(AlertSinkTask.class);

  private AvroDeserializer<Alert> deserializer;
  private ErrantRecordReporter reporter;

  /** Delivers one alert; throws with the reason when it cannot. */
  protected abstract void deliver(Alert alert, String json) throws Exception;

  /** Task-specific start-up. */
  protected abstract void open(Map<String, String> props);

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    deserializer = new AvroDeserializer<>();
    Map<String, Object> configs = new java.util.HashMap<>(props);
    configs.put("avro.reader.class", Alert.class.getName());
    deserializer.configure(configs, false);
    try {
      reporter = context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      reporter = null; // a worker older than Kafka 2.6
    }
    open(props);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    for (SinkRecord record : records) {
      Alert alert;
      try {
        if (!(record.value() instanceof byte[] bytes)) {
          throw new IllegalArgumentException(
              "expected bytes (run with value.converter=ByteArrayConverter), got "
                  + (record.value() == null ? "null" : record.value().getClass().getName()));
        }
        alert = deserializer.deserialize(record.topic(), bytes);
      } catch (RuntimeException e) {
        report(record, e);
        continue;
      }
      try {
        deliver(alert, AlertJson.of(alert));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectException("interrupted while delivering alerts", e);
      } catch (Exception e) {
        report(record, e);
      }
    }
  }

  private void report(SinkRecord record, Exception error) {
    LOG.warn(
        "alert at {}-{}@{} not delivered: {}",
        record.topic(),
        record.kafkaPartition(),
        record.kafkaOffset(),
        error.getMessage());
    if (reporter == null) {
      throw new ConnectException("cannot deliver alert: " + error.getMessage(), error);
    }
    reporter.report(record, error);
  }

  @Override
  public void stop() {
    if (deserializer != null) {
      deserializer.close();
    }
  }
}
