package io.macroscope.dynamics.nn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs exported ONNX graphs through ONNX Runtime for the export tests. */
final class OnnxRuns {

  private OnnxRuns() {}

  /** The first output of {@code onnx} for the float input {@code x} of {@code shape}, flattened. */
  static float[] run(byte[] onnx, String input, float[] x, long[] shape) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
        OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
        OrtSession.Result result = session.run(Map.of(input, tensor))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] values = new float[out.remaining()];
      out.get(values);
      return values;
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
