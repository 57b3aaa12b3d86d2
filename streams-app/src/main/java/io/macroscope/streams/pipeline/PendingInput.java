package io.macroscope.streams.pipeline;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An input waiting in the encode stage's changelogged store for its micro-batch, kept as it was
 * read (bytes and position), so a restart after a crash re-encodes it exactly once and a failure
 * can dead-letter the original.
 */
public record PendingInput(
    String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

  /** Bytes for the store. */
  public byte[] toBytes() {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    int keyLength = key == null ? -1 : key.length;
    int valueLength = value == null ? -1 : value.length;
    ByteBuffer b =
        ByteBuffer.allocate(
            4 + t.length + 4 + 8 + 8 + 4 + Math.max(0, keyLength) + 4 + Math.max(0, valueLength));
    b.putInt(t.length).put(t).putInt(partition).putLong(offset).putLong(timestamp);
    b.putInt(keyLength);
    if (key != null) {
      b.put(key);
    }
    b.putInt(valueLength);
    if (value != null) {
      b.put(value);
    }
    return b.array();
  }

  /** Inverse of {@link #toBytes()}. */
  public static PendingInput fromBytes(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte[] t = new byte[b.getInt()];
    b.get(t);
    int partition = b.getInt();
    long offset = b.getLong();
    long timestamp = b.getLong();
    byte[] key = array(b);
    byte[] value = array(b);
    return new PendingInput(
        new String(t, StandardCharsets.UTF_8), partition, offset, timestamp, key, value);
  }

  private static byte[] array(ByteBuffer b) {
    int length = b.getInt();
    if (length < 0) {
      return null;
    }
    byte[] a = new byte[length];
    b.get(a);
    return a;
  }
}
