package io.macroscope.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: one magic byte 0, the schema id as a 4-byte big-endian int, then the
 * Avro binary encoding of the datum. Shared with every Confluent-compatible client.
 */
public final class WireFormat {

  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Writes the 5-byte header for {@code schemaId} at the start of {@code target}. */
  public static void writeHeader(byte[] target, int schemaId) {
    ByteBuffer.wrap(target, 0, HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId);
  }

  /**
   * Reads the schema id from a payload's header.
   *
   * @throws CorruptPayloadException if the payload is too short or does not start with the magic
   *     byte
   */
  public static int readSchemaId(byte[] payload) {
    if (payload.length < HEADER_SIZE) {
      throw new CorruptPayloadException(
          "payload of "
              + payload.length
              + " bytes is shorter than the 5-byte Confluent wire-format header");
    }
    if (payload[0] != MAGIC_BYTE) {
      throw new CorruptPayloadException(
          String.format(
              "unknown magic byte 0x%02x: not Confluent wire format (expected 0x00)",
              payload[0] & 0xff));
    }
    return ByteBuffer.wrap(payload, 1, 4).getInt();
  }
}
