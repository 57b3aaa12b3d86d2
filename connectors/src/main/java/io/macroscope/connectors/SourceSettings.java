package io.macroscope.connectors;

import io.macroscope.schemas.Topics;
import org.apache.kafka.common.config.ConfigDef;

/** Settings every Macroscope source connector has. */
public final class SourceSettings {

  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String SOURCE_ID = "source.id";
  public static final String POLL_INTERVAL_MS = "poll.interval.ms";
  public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";
  public static final String TOPIC = "topic";

  private SourceSettings() {}

  /** Adds the common keys to {@code def}, with {@code topic} defaulting to {@code topic}. */
  public static ConfigDef common(ConfigDef def, String topic) {
    return def.define(
            REGISTRY_URL,
            ConfigDef.Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            new ConfigDef.NonEmptyString(),
            ConfigDef.Importance.HIGH,
            "Confluent-API schema registry the record values are registered with (values are Avro"
                + " in the Confluent wire format; run the connector with"
                + " value.converter=org.apache.kafka.connect.converters.ByteArrayConverter).")
        .define(
            TOPIC,
            ConfigDef.Type.STRING,
            topic,
            new ConfigDef.NonEmptyString(),
            ConfigDef.Importance.HIGH,
            "Topic the records go to.")
        .define(
            SOURCE_ID,
            ConfigDef.Type.STRING,
            "",
            ConfigDef.Importance.MEDIUM,
            "Source id (record key, one feed = one key); empty: the file or folder name.")
        .define(
            POLL_INTERVAL_MS,
            ConfigDef.Type.LONG,
            500L,
            ConfigDef.Range.between(10, 3_600_000),
            ConfigDef.Importance.LOW,
            "How often to look for new data, in milliseconds.")
        .define(
            DEAD_LETTER_TOPIC,
            ConfigDef.Type.STRING,
            Topics.DEAD_LETTERS.name(),
            new ConfigDef.NonEmptyString(),
            ConfigDef.Importance.LOW,
            "Where unreadable input goes (a DeadLetter with the original bytes and the reason).");
  }
}
