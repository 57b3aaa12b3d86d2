package io.macroscope.connectors;

import io.macroscope.embedded.EmbeddedCluster;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;

/**
 * A real Kafka Connect worker (standalone mode) in this JVM, against the embedded cluster; its
 * source offsets live in a file, so a second worker on the same file resumes where the first
 * stopped.
 */
final class ConnectWorker implements AutoCloseable {

  private final Connect<StandaloneHerder> connect;

  ConnectWorker(EmbeddedCluster cluster, Path offsets) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", cluster.bootstrapServers());
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("offset.storage.file.filename", offsets.toString());
    props.put("offset.flush.interval.ms", "500");
    props.put("plugin.discovery", "service_load");
    props.put("listeners", "http://127.0.0.1:0");
    connect = new ConnectStandalone().startConnect(props);
  }

  Herder herder() {
    return connect.herder();
  }

  /** Creates (or replaces) a connector and waits for the worker to accept it. */
  void put(String name, Map<String, String> config) throws Exception {
    Map<String, String> named = new HashMap<>(config);
    named.put("name", name);
    CompletableFuture<Object> done = new CompletableFuture<>();
    connect
        .herder()
        .putConnectorConfig(
            name,
            named,
            true,
            (error, result) -> {
              if (error != null) {
                done.completeExceptionally(error);
              } else {
                done.complete(result);
              }
            });
    done.get(60, TimeUnit.SECONDS);
  }

  /** The worker's validation of a connector config (what the REST API answers). */
  ConfigInfos validate(Map<String, String> config) throws Exception {
    CompletableFuture<ConfigInfos> done = new CompletableFuture<>();
    connect
        .herder()
        .validateConnectorConfig(
            config,
            (error, result) -> {
              if (error != null) {
                done.completeExceptionally(error);
              } else {
                done.complete(result);
              }
            });
    return done.get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
