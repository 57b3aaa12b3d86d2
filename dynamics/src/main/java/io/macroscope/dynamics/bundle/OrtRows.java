package io.macroscope.dynamics.bundle;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an ONNX Runtime session on a batch of rows: the one call every bundle network needs. */
public final class OrtRows {

  private OrtRows() {}

  /**
   * The session's first output for {@code rows} (n x width, row-major) fed to {@code input}.
   *
   * @param what names the network in the error message
   * @throws BundleException if inference fails
   */
  public static float[] run(
      OrtSession session, String input, float[] rows, int width, String what) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(rows), new long[] {rows.length / width, width});
        OrtSession.Result result = session.run(Map.of(input, tensor))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] values = new float[out.remaining()];
      out.get(values);
      return values;
    } catch (OrtException e) {
      throw new BundleException(what + " inference failed: " + e.getMessage(), e);
    }
  }
}
