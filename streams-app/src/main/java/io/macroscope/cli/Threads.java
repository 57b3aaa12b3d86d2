package io.macroscope.cli;

/** Thread settings of the inference and training engines; must run before an engine loads. */
final class Threads {

  private Threads() {}

  static void configure(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }
}
