package io.macroscope.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.schemas.Frame;
import io.macroscope.schemas.SampleRecords;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private static final Schema POINT =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Point\",\"fields\":["
                  + "{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"label\",\"type\":\"string\"}]}");

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  private static GenericRecord point(int x, String label) {
    GenericRecord record = new GenericData.Record(POINT);
    record.put("x", x);
    record.put("label", label);
    return record;
  }

  private AvroSerializer<GenericRecord> genericSerializer() {
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of(), false);
    return serializer;
  }

  @Test
  void shouldWriteKnownByteVectorForGenericRecord() {
    // Given schema id 1 and {x: 1, label: "a"}: zig-zag varint 1 -> 0x02, string length 1 -> 0x02,
    // then 'a'.
    byte[] bytes = genericSerializer().serialize("points", point(1, "a"));
    assertEquals("00000000010202" + "61", HexFormat.of().formatHex(bytes));
  }

  @Test
  void shouldReadKnownByteVectorForGenericRecord() {
    registry.register("points-value", POINT);
    // Given schema id 1 and {x: -1 (zig-zag 0x01), label: "bc" (length 2 -> 0x04, 'b', 'c')}
    byte[] bytes = HexFormat.of().parseHex("0000000001" + "01" + "04" + "6263");
    GenericRecord record =
        new AvroDeserializer<GenericRecord>(registry, null).deserialize("p", bytes);
    assertEquals(-1, record.get("x"));
    assertEquals("bc", record.get("label").toString());
  }

  @Test
  void shouldRoundTripEverySchemaAsSpecificRecords() {
    for (SpecificRecord sample : SampleRecords.all()) {
      assertEquals(sample, roundTrip(sample), sample.getSchema().getName());
    }
  }

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecord & org.apache.avro.generic.GenericContainer> T roundTrip(
      SpecificRecord sample) {
    Class<T> type = (Class<T>) sample.getClass();
    var serde = AvroSerde.specific(type, registry, false);
    byte[] bytes = serde.serializer().serialize("t", type.cast(sample));
    return serde.deserializer().deserialize("t", bytes);
  }

  @Test
  void shouldFetchEachWriterSchemaOnlyOnceWhenDeserializing() {
    var serde = AvroSerde.specific(Frame.class, registry, false);
    byte[] first = serde.serializer().serialize("frames", SampleRecords.frame());
    serde.deserializer().deserialize("frames", first);
    int callsAfterFirst = registry.calls();
    for (int i = 0; i < 10; i++) {
      serde
          .deserializer()
          .deserialize("frames", serde.serializer().serialize("frames", SampleRecords.frame()));
    }
    // Each serialize asks the (caching) registry for the id once; deserializing asks nothing more.
    assertEquals(callsAfterFirst + 10, registry.calls());
  }

  @Test
  void shouldRejectGarbageBytesAsCorruptPayload() {
    var deserializer = new AvroDeserializer<>(registry, Frame.class);
    CorruptPayloadException e =
        assertThrows(
            CorruptPayloadException.class,
            () -> deserializer.deserialize("frames", "hello world".getBytes()));
    assertTrue(e.getMessage().contains("magic byte"), e.getMessage());
  }

  @Test
  void shouldRejectTruncatedPayloadAsCorrupt() {
    var serde = AvroSerde.specific(Frame.class, registry, false);
    byte[] bytes = serde.serializer().serialize("frames", SampleRecords.frame());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 6);
    assertThrows(
        CorruptPayloadException.class, () -> serde.deserializer().deserialize("frames", truncated));
  }

  @Test
  void shouldRejectTrailingBytesAsCorrupt() {
    var serde = AvroSerde.specific(Frame.class, registry, false);
    byte[] bytes = serde.serializer().serialize("frames", SampleRecords.frame());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    CorruptPayloadException e =
        assertThrows(
            CorruptPayloadException.class,
            () -> serde.deserializer().deserialize("frames", longer));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
  }

  @Test
  void shouldRejectUnknownSchemaId() {
    var deserializer = new AvroDeserializer<>(registry, Frame.class);
    UnknownSchemaException e =
        assertThrows(
            UnknownSchemaException.class,
            () -> deserializer.deserialize("frames", new byte[] {0, 0, 0, 3, 9, 1, 2}));
    assertEquals("unknown-schema", e.kind());
    assertTrue(e.getMessage().contains("schema id 777"), e.getMessage()); // 0x00000309
  }

  @Test
  void shouldRejectWriterSchemaThatCannotBeReadAsTarget() {
    byte[] bytes = genericSerializer().serialize("frames", point(1, "a"));
    var deserializer = new AvroDeserializer<>(registry, Frame.class);
    SchemaResolutionException e =
        assertThrows(
            SchemaResolutionException.class, () -> deserializer.deserialize("frames", bytes));
    assertTrue(e.getMessage().contains("cannot be read as io.macroscope.schemas.Frame"));
  }

  @Test
  void shouldReadOlderWriterIntoNewerReaderWithDefaults() {
    // Given a producer still on a Frame schema without the optional groundTruth and metadata fields
    List<Schema.Field> olderFields = new ArrayList<>();
    for (Schema.Field f : Frame.getClassSchema().getFields()) {
      if (!f.name().equals("groundTruth") && !f.name().equals("metadata")) {
        olderFields.add(new Schema.Field(f, f.schema()));
      }
    }
    Schema older = Schema.createRecord("Frame", null, "io.macroscope.schemas", false, olderFields);
    GenericRecord old = new GenericData.Record(older);
    Frame sample = SampleRecords.frame();
    for (Schema.Field f : olderFields) {
      old.put(f.name(), GenericData.get().deepCopy(f.schema(), genericValue(sample, f.name())));
    }
    byte[] bytes = genericSerializer().serialize("frames", old);

    // When a current reader reads it, then the missing fields take their defaults
    Frame read = new AvroDeserializer<>(registry, Frame.class).deserialize("frames", bytes);
    assertEquals(sample.getPixels(), read.getPixels());
    assertEquals(null, read.getGroundTruth());
    assertEquals(Map.of(), read.getMetadata());
  }

  private static Object genericValue(Frame frame, String field) {
    Object value = frame.get(field);
    if (value instanceof java.time.Instant instant) {
      return instant.toEpochMilli();
    }
    if (value instanceof Enum<?> e) {
      return new GenericData.EnumSymbol(Frame.getClassSchema().getField(field).schema(), e.name());
    }
    return value;
  }

  @Test
  void shouldReportRecordMissingRequiredFieldAsInvalidDatum() {
    GenericRecord incomplete = new GenericData.Record(POINT);
    incomplete.put("x", 1);
    assertThrows(
        InvalidDatumException.class, () -> genericSerializer().serialize("points", incomplete));
  }

  @Test
  void shouldPassNullThroughBothWays() {
    assertArrayEquals(null, genericSerializer().serialize("points", null));
    assertEquals(null, new AvroDeserializer<>(registry, Frame.class).deserialize("frames", null));
  }
}
