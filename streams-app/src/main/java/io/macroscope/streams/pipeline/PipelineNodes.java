package io.macroscope.streams.pipeline;

/** Names of the topology's nodes and stores, declared once. */
public final class PipelineNodes {

  public String source(String kind) {
    return kind + "-source";
  }

  public String encode(String kind) {
    return "encode-" + kind;
  }

  public String pendingStore(String kind) {
    return "encode-pending-" + kind;
  }

  public String forecast(String kind) {
    return "forecast-" + kind;
  }

  public String cadenceStore(String kind) {
    return "forecast-cadence-" + kind;
  }

  public String alert(String kind) {
    return "alert-" + kind;
  }

  public String episodeStore(String kind) {
    return "alert-episodes-" + kind;
  }

  public String latentSink() {
    return "latent-sink";
  }

  public String forecastSink() {
    return "forecast-sink";
  }

  public String alertSink() {
    return "alert-sink";
  }

  public String deadLetterSink() {
    return "dead-letter-sink";
  }

  public String rulesStore() {
    return "alert-rules-store";
  }

  public String rulesSource() {
    return "alert-rules-source";
  }

  public String rulesUpdater() {
    return "alert-rules-updater";
  }
}
