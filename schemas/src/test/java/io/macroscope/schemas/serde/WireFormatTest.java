package io.macroscope.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void shouldWriteMagicByteAndBigEndianSchemaId() {
    byte[] header = new byte[5];
    WireFormat.writeHeader(header, 0x01020304);
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4}, header);
  }

  @Test
  void shouldReadSchemaIdBackFromHeader() {
    assertEquals(7, WireFormat.readSchemaId(new byte[] {0, 0, 0, 0, 7, 42}));
    assertEquals(
        Integer.MAX_VALUE,
        WireFormat.readSchemaId(new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
  }

  @Test
  void shouldRejectPayloadShorterThanHeader() {
    CorruptPayloadException e =
        assertThrows(CorruptPayloadException.class, () -> WireFormat.readSchemaId(new byte[3]));
    assertTrue(e.getMessage().contains("shorter than the 5-byte"), e.getMessage());
  }

  @Test
  void shouldRejectWrongMagicByte() {
    CorruptPayloadException e =
        assertThrows(
            CorruptPayloadException.class,
            () -> WireFormat.readSchemaId(new byte[] {1, 0, 0, 0, 1}));
    assertEquals("corrupt-payload", e.kind());
    assertTrue(e.getMessage().contains("0x01"), e.getMessage());
  }
}
