package io.macroscope.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.macroscope.embedded.EmbeddedCluster;
import io.macroscope.embedded.EmbeddedClusterExtension;
import io.macroscope.schemas.Alert;
import io.macroscope.schemas.AlertKind;
import io.macroscope.schemas.AlertStatus;
import io.macroscope.schemas.Topics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Alerts out of Kafka: to a file and to a webhook, on a real Connect worker. */
@ExtendWith(EmbeddedClusterExtension.class)
class AlertSinksIT {

  @TempDir Path dir;

  @Test
  void shouldWriteAlertsToFileAndWebhookWithRetriesAndReportRejectedOnes(EmbeddedCluster cluster)
      throws Exception {
    String prefix = "sink-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    cluster.createTopics(List.of(Topics.ALERTS), Optional.of(1), prefix);
    String topic = prefix + "alerts";
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      alerts.add(alert("a" + i, i == 3 ? "reject-me" : "energy-low"));
    }
    try (KafkaProducer<String, Alert> producer =
        new KafkaProducer<>(
            cluster.clientConfigs(),
            new StringSerializer(),
            Topics.ALERTS.valueSerde(cluster.schemaRegistry()).serializer())) {
      for (Alert a : alerts) {
        producer.send(new ProducerRecord<>(topic, a.getSourceId(), a));
      }
      producer.flush();
    }

    // a webhook that is down for its first two requests and refuses one rule outright
    List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status =
              requests.incrementAndGet() <= 2 ? 503 : body.contains("reject-me") ? 400 : 200;
          if (status == 200) {
            accepted.add(exchange.getRequestHeaders().getFirst("X-Macroscope-Alert-Id"));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    Path file = dir.resolve("out/alerts.jsonl");
    try (ConnectWorker worker = new ConnectWorker(cluster, dir.resolve("offsets"))) {
      Map<String, String> common = new HashMap<>();
      common.put("topics", topic);
      common.put("schema.registry.url", cluster.registryUrl());
      common.put("errors.tolerance", "all");
      common.put("errors.deadletterqueue.topic.name", prefix + "alert-dlq");
      common.put("errors.deadletterqueue.topic.replication.factor", "1");
      common.put("errors.deadletterqueue.context.headers.enable", "true");
      Map<String, String> toFile = new HashMap<>(common);
      toFile.put("connector.class", "io.macroscope.connectors.alerts.AlertFileSinkConnector");
      toFile.put("file", file.toString());
      worker.put("alerts-file", toFile);
      Map<String, String> toHook = new HashMap<>(common);
      toHook.put("connector.class", "io.macroscope.connectors.alerts.AlertWebhookSinkConnector");
      toHook.put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
      toHook.put("retry.backoff.ms", "50");
      worker.put("alerts-webhook", toHook);

      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline
          && (accepted.size() < 5 || !Files.exists(file) || Files.readAllLines(file).size() < 6)) {
        Thread.sleep(100);
      }
      assertEquals(
          List.of("a0", "a1", "a2", "a4", "a5"),
          List.copyOf(accepted),
          "each accepted once, in order");
      List<String> lines = Files.readAllLines(file);
      assertEquals(6, lines.size());
      assertTrue(lines.get(2).contains("\"alertId\":\"a2\""), lines.get(2));
      assertTrue(lines.get(2).contains("\"status\":\"FIRING\""), lines.get(2));
      List<byte[]> dlq =
          XyzTailIT.read(
              cluster, prefix + "alert-dlq", new ByteArrayDeserializer(), l -> !l.isEmpty());
      assertEquals(1, dlq.size(), "the refused alert went to the worker's dead-letter queue");
    } finally {
      server.stop(0);
    }
  }

  private static Alert alert(String id, String rule) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setRuleId(rule)
        .setKind(AlertKind.THRESHOLD)
        .setSourceId("particles-1")
        .setStatus(AlertStatus.FIRING)
        .setProbability(0.93)
        .setLeadTime(12.0)
        .setSequence(40)
        .setEventTime(Instant.parse("2026-11-22T12:00:00Z"))
        .setModelVersion("v1")
        .setMessage("P(energy < -0.08 within 50 steps) = 0.93")
        .setEvidence(Map.of("threshold", -0.08))
        .build();
  }
}
