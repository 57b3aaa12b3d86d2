package io.macroscope.dynamics.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The parameters of a block at one moment, held in memory, to go back to the best epoch of a run
 * (the networks here are small: tens of kB to a few MB).
 */
public final class ParameterSnapshot {

  private final byte[] bytes;

  private ParameterSnapshot(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies the current parameters of {@code block}. */
  public static ParameterSnapshot of(Block block) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ParameterSnapshot(buffer.toByteArray());
  }

  /**
   * Puts the copied parameters back into {@code block} (the same architecture). The parameters
   * become new arrays (gradients enabled where the parameter trains): a DJL trainer caches the
   * arrays it saw, so training on after a restore needs a new trainer.
   */
  public void restore(Block block, NDManager manager) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      block.loadParameters(manager, in);
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException("could not restore a parameter snapshot", e);
    }
    for (var p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        p.getValue().getArray().setRequiresGradient(true);
      }
    }
  }
}
