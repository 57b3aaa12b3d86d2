package io.macroscope.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The samples of a {@link Frame} as floats in (C, H, W) order, with the checks they need. */
public final class FramePixels {

  private FramePixels() {}

  /**
   * @throws IllegalArgumentException with a one-line reason for a non-positive shape, a pixel
   *     buffer of the wrong length or a non-finite f32 sample
   */
  public static float[] values(Frame frame) {
    int c = frame.getChannels();
    int h = frame.getHeight();
    int w = frame.getWidth();
    if (c < 1 || h < 1 || w < 1) {
      throw new IllegalArgumentException(
          "frame shape (C,H,W)=(" + c + "," + h + "," + w + ") must be positive");
    }
    long samples = (long) c * h * w;
    int size =
        switch (frame.getPixelType()) {
          case U8 -> 1;
          case U16 -> 2;
          case F32 -> 4;
        };
    ByteBuffer pixels = frame.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (samples > Integer.MAX_VALUE / 4 || pixels.remaining() != samples * size) {
      throw new IllegalArgumentException(
          "frame pixels hold "
              + pixels.remaining()
              + " bytes, but (C,H,W)=("
              + c
              + ","
              + h
              + ","
              + w
              + ") of "
              + frame.getPixelType()
              + " needs "
              + samples * size);
    }
    float[] values = new float[(int) samples];
    switch (frame.getPixelType()) {
      case U8 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = pixels.get() & 0xFF;
        }
      }
      case U16 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = pixels.getShort() & 0xFFFF;
        }
      }
      case F32 -> {
        for (int i = 0; i < values.length; i++) {
          float v = pixels.getFloat();
          if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(
                "frame sample " + i + " is " + v + " (NaN or infinite)");
          }
          values[i] = v;
        }
      }
    }
    return values;
  }
}
