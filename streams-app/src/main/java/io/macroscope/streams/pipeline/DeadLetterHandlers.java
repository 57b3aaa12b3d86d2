package io.macroscope.streams.pipeline;

import io.macroscope.schemas.DeadLetter;
import io.macroscope.schemas.TopicNames;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.AvroSerializer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' exception handlers, all ending in the dead-letter topic with the original bytes
 * and the reason, and all letting the stream go on. The stages catch their own bad input; these are
 * the safety net for what they cannot see (a record that fails to deserialize at a source with a
 * typed deserializer, an output the broker refuses, an unexpected exception in a processor).
 */
public final class DeadLetterHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

  private DeadLetterHandlers() {}

  /** Shared: serializes dead letters with the configured registry. */
  abstract static class Base {
    private AvroSerializer<DeadLetter> serializer;
    private String application = "";
    private String topic = Topics.DEAD_LETTERS.name();

    public void configure(Map<String, ?> configs) {
      serializer = new AvroSerializer<>();
      serializer.configure(configs, false);
      Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
      application = id == null ? "" : id.toString();
      Object prefix = configs.get(TopicNames.PREFIX_CONFIG);
      topic = (prefix == null ? "" : prefix.toString()) + Topics.DEAD_LETTERS.name();
    }

    String deadLetterTopic() {
      return topic;
    }

    List<ProducerRecord<byte[], byte[]>> letter(
        ErrorHandlerContext context, String stage, Exception error) {
      DeadLetter letter =
          DeadLetters.of(
              context.topic(),
              context.partition(),
              context.offset(),
              context.sourceRawKey(),
              context.sourceRawValue(),
              stage,
              error,
              error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage(),
              application);
      LOG.warn(
          "dead letter: {}-{}@{} at {}: {}",
          context.topic(),
          context.partition(),
          context.offset(),
          stage,
          letter.getReason());
      return List.of(
          new ProducerRecord<>(
              topic, null, context.sourceRawKey(), serializer.serialize(topic, letter)));
    }
  }

  /** Records that cannot be deserialized at a source. */
  public static final class Deserialization extends Base
      implements DeserializationExceptionHandler {
    @Override
    public Response handleError(
        ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      return Response.resume(letter(context, DeadLetters.DESERIALIZE, exception));
    }
  }

  /** Outputs that cannot be serialized or that the broker refuses. */
  public static final class Production extends Base implements ProductionExceptionHandler {
    @Override
    public Response handleError(
        ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
      if (deadLetterTopic().equals(record.topic())) {
        LOG.error("a dead letter itself could not be written: {}", exception.toString());
        return Response.fail();
      }
      return Response.resume(letter(context, DeadLetters.PRODUCE, exception));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
        ErrorHandlerContext context,
        ProducerRecord record,
        Exception exception,
        SerializationExceptionOrigin origin) {
      return Response.resume(letter(context, DeadLetters.PRODUCE, exception));
    }
  }

  /** Unexpected exceptions inside a processor. */
  public static final class Processing extends Base implements ProcessingExceptionHandler {
    @Override
    public Response handleError(
        ErrorHandlerContext context,
        org.apache.kafka.streams.processor.api.Record<?, ?> record,
        Exception exception) {
      return Response.resume(letter(context, DeadLetters.PROCESS, exception));
    }
  }
}
