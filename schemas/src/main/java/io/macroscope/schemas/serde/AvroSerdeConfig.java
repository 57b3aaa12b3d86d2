package io.macroscope.schemas.serde;

import java.util.Map;

/** Configuration keys of the Avro serde beyond the registry client's own. */
public final class AvroSerdeConfig {

  /** Register unknown writer schemas on first use (true) or require them to exist (false). */
  public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";

  public static final boolean DEFAULT_AUTO_REGISTER_SCHEMAS = true;

  /**
   * Fully qualified name of a generated Avro class to deserialize into; without it the deserializer
   * returns {@link org.apache.avro.generic.GenericRecord}s in the writer's schema.
   */
  public static final String READER_CLASS_CONFIG = "avro.reader.class";

  private AvroSerdeConfig() {}

  static boolean autoRegister(Map<String, ?> configs) {
    Object value = configs.get(AUTO_REGISTER_SCHEMAS_CONFIG);
    return value == null ? DEFAULT_AUTO_REGISTER_SCHEMAS : Boolean.parseBoolean(value.toString());
  }

  /** Subject of a topic's key or value schema (Confluent's TopicNameStrategy). */
  public static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
