package io.macroscope.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedClusterExtension.class)
class EmbeddedKafkaIT {

  @Test
  void shouldListenOnLoopbackOnly(EmbeddedCluster cluster) throws Exception {
    try (Admin admin = cluster.kafka().admin()) {
      for (Node node : admin.describeCluster().nodes().get()) {
        assertEquals("127.0.0.1", node.host());
      }
    }
    assertTrue(cluster.registryUrl().startsWith("http://127.0.0.1:"));
  }

  @Test
  void shouldCommitTransactionsPromptlyAndHideAbortedOnes(EmbeddedCluster cluster)
      throws Exception {
    String topic = "tx-" + UUID.randomUUID().toString().substring(0, 8);
    cluster.kafka().createTopics(List.of(new NewTopic(topic, 2, (short) 1)));
    Map<String, Object> configs = cluster.clientConfigs();
    configs.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic);
    // A transaction log asking for more replicas than exist makes initTransactions block; this
    // turns that into a failure instead of a long hang.
    configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "committed".getBytes()));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "aborted".getBytes()));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "committed-2".getBytes()));
      producer.commitTransaction();
    }
    var values =
        SchemaRoundTripIT.consumeAll(cluster, topic, 2).stream()
            .map(r -> new String(r.value()))
            .sorted()
            .toList();
    assertEquals(List.of("committed", "committed-2"), values);
  }
}
