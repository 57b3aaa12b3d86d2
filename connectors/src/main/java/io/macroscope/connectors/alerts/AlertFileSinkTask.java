package io.macroscope.connectors.alerts;

import io.macroscope.schemas.Alert;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

/** Appends alerts to a file as JSON lines; flushed before offsets are committed. */
public final class AlertFileSinkTask extends AlertSinkTask {

  private BufferedWriter out;

  @Override
  protected void open(Map<String, String> props) {
    Path file = Path.of(new AlertFileSinkConfig(props).getString(AlertFileSinkConfig.FILE));
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      out =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new ConnectException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected void deliver(Alert alert, String json) throws IOException {
    out.write(json);
    out.newLine();
  }

  @Override
  public void flush(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      out.flush();
    } catch (IOException e) {
      throw new ConnectException("cannot write alerts: " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      throw new ConnectException("cannot close the alert file: " + e.getMessage(), e);
    } finally {
      super.stop();
    }
  }
}
