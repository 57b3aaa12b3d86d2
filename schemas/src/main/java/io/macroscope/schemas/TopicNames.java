package io.macroscope.schemas;

/**
 * Actual topic names: the catalogue's names with an optional prefix ({@code topic.prefix}), so
 * several pipelines (environments, tests) can share one cluster.
 */
public record TopicNames(String prefix) {

  /** The config key handed to Kafka Streams' exception handlers. */
  public static final String PREFIX_CONFIG = "macroscope.topic.prefix";

  public static final TopicNames DEFAULT = new TopicNames("");

  public String of(TopicSpec<?> topic) {
    return prefix + topic.name();
  }
}
