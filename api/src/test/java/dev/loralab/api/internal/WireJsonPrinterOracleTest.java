package dev.loralab.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The wire printer against the oracle it replaces, protobuf-java-util's {@code JsonFormat} printer
 * in ProtoJson's configuration: random messages of every api type, Any-packed, and corrupted Any
 * contents must print identically (or fail on both sides).
 */
class WireJsonPrinterOracleTest {
  static final JsonFormat.Printer ORACLE = JsonFormat.printer()
      .usingTypeRegistry(ProtoJson.typeRegistry()).preservingProtoFieldNames()
      .omittingInsignificantWhitespace();
  static final WireJsonPrinter PRINTER = new WireJsonPrinter(ProtoJson.typeRegistry());

  /** Asserts the same output as the oracle, or a ProtoJsonException where the oracle fails. */
  static void assertPrintsLikeOracle(Message m) {
    String expected;
    try {
      expected = ORACLE.print(m);
    } catch (Exception e) {
      assertThatThrownBy(() -> PRINTER.print(m)).as("oracle failed with %s", e)
          .isInstanceOf(ProtoJsonException.class);
      return;
    }
    String actual;
    try {
      actual = PRINTER.print(m);
    } catch (ProtoJsonException e) {
      throw new AssertionError("printer failed where the oracle printed " + expected + " for "
          + m.getDescriptorForType().getFullName() + " " + m, e);
    }
    assertThat(actual).as("%s %s", m.getDescriptorForType().getFullName(), m).isEqualTo(expected);
  }

  @Test
  void everyApiTypeWithRandomValuesPrintsLikeJsonFormat() {
    int n = 0;
    for (Descriptor d : RandomMessages.types()) {
      for (int seed = 0; seed < 40; seed++) {
        RandomMessages gen = new RandomMessages(d.getFullName().hashCode() * 31L + seed, 3);
        Message m = gen.message(d);
        assertPrintsLikeOracle(m);
        assertPrintsLikeOracle(Any.pack(m));
        n++;
      }
    }
    assertThat(n).isGreaterThan(1000);
  }

  @Property(tries = 300)
  void randomMessagesPrintLikeJsonFormat(@ForAll long seed) {
    RandomMessages gen = new RandomMessages(seed, 4);
    Message m = gen.message(gen.anyType());
    assertPrintsLikeOracle(m);
    assertPrintsLikeOracle(Any.pack(m));
    assertPrintsLikeOracle(gen.any(0));
  }

  @Property(tries = 1000)
  void corruptedAnyContentPrintsOrFailsLikeJsonFormat(@ForAll long seed) {
    RandomMessages gen = new RandomMessages(seed, 2);
    Random rnd = new Random(seed);
    Message m = gen.message(gen.anyType());
    byte[] b = m.toByteArray();
    if (b.length == 0) {
      return;
    }
    switch (rnd.nextInt(4)) {
      case 0: // one bit flipped
        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        break;
      case 1: // truncated
        b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
        break;
      case 2: // a random byte
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        break;
      default: { // two bits flipped
        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
      }
    }
    Any a = Any.newBuilder().setTypeUrl(Any.pack(m).getTypeUrl()).setValue(ByteString.copyFrom(b))
        .build();
    assertPrintsLikeOracle(a);
  }

  @Test
  void lenientUtf8DecodingMatchesTheJdkDecoder() {
    // Generated proto3 builders reject invalid UTF-8, so the lenient path (a getter's
    // new String(bytes, UTF_8)) is a safety net; it must match that decoding exactly.
    int[][] cases = {{0x80}, {0x41, 0xC0, 0x80, 0x42}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80},
        {0xE2, 0x82}, {0xF0, 0x9F, 0x98}, {0x3C, 0xFF, 0xE2, 0x80, 0xA8}, {0xC3, 0xA9, 0xF8}};
    for (int[] c : cases) {
      byte[] b = new byte[c.length];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) c[i];
      }
      JsonOut lenient = new JsonOut(8);
      JsonText.appendUtf8String(lenient, b, 0, b.length, false);
      JsonOut decoded = new JsonOut(8);
      JsonText.appendString(decoded, new String(b, StandardCharsets.UTF_8));
      assertThat(lenient.toString()).isEqualTo(decoded.toString());
      assertThatThrownBy(() -> JsonText.appendUtf8String(new JsonOut(8), b, 0, b.length, true))
          .isInstanceOf(PrintFailure.class);
    }
  }

  @Test
  void unpairedSurrogatesPrintTheSameUtf8() {
    // A Java string with an unpaired surrogate is serialized with '?' in its place, so the wire
    // printer emits '?' where JsonFormat keeps the lone char; their UTF-8 encodings are identical.
    dev.loralab.api.v3.GatewayIdentifiers g = dev.loralab.api.v3.GatewayIdentifiers.newBuilder()
        .setGatewayId("a\ud800b\udc00c").build();
    String expected = print(ORACLE, g);
    assertThat(PRINTER.print(g).getBytes(StandardCharsets.UTF_8))
        .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  /** Splits an encoding into its top-level field records (tag and value bytes). */
  static java.util.List<byte[]> records(byte[] b) throws java.io.IOException {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(b);
    while (true) {
      int start = in.getTotalBytesRead();
      int tag = in.readTag();
      if (tag == 0) {
        return out;
      }
      in.skipField(tag);
      out.add(java.util.Arrays.copyOfRange(b, start, in.getTotalBytesRead()));
    }
  }

  @Property(tries = 1000)
  void reorderedDuplicatedAndMergedFieldsPrintLikeJsonFormat(@ForAll long seed) throws Exception {
    // Any content parsed as DynamicMessage: fields out of order, a singular field repeated (last
    // scalar wins, messages merge, oneof members replace each other), repeated fields split,
    // map entries with the same key, and two messages concatenated (a merge).
    RandomMessages gen = new RandomMessages(seed, 2);
    Random rnd = new Random(seed);
    Descriptor d = gen.anyType();
    java.util.List<byte[]> recs = new java.util.ArrayList<>(records(gen.message(d).toByteArray()));
    recs.addAll(records(gen.message(d).toByteArray()));
    for (int i = rnd.nextInt(4); i > 0 && !recs.isEmpty(); i--) {
      recs.add(recs.get(rnd.nextInt(recs.size())));
    }
    java.util.Collections.shuffle(recs, rnd);
    if (rnd.nextInt(4) == 0 && !recs.isEmpty()) {
      recs.remove(rnd.nextInt(recs.size()));
    }
    java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
    for (byte[] r : recs) {
      content.write(r);
    }
    Any a = Any.newBuilder().setTypeUrl("type.googleapis.com/" + d.getFullName())
        .setValue(ByteString.copyFrom(content.toByteArray())).build();
    assertPrintsLikeOracle(a);
  }

  /** An Any of {@code type} with the given content bytes. */
  static Any any(String type, int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Any.newBuilder().setTypeUrl("type.googleapis.com/" + type).setValue(ByteString.copyFrom(b))
        .build();
  }

  @Test
  void handWrittenWireVectorsPrintLikeJsonFormat() {
    String adr = "ttn.lorawan.v3.MACCommand.LinkADRReq";
    // channel_mask (field 3, repeated bool): packed [1,0] (tag 0x1A, length 2), unpacked 1
    // (tag 0x18), tx_power_index 7 in between (tag 0x10), packed [0]
    assertPrintsLikeOracle(any(adr, 0x1A, 0x02, 0x01, 0x00, 0x18, 0x01, 0x10, 0x07, 0x1A, 0x01,
        0x00));
    // an empty packed record only: the field is absent
    assertPrintsLikeOracle(any(adr, 0x1A, 0x00));
    // data_rate_index (field 1, uint32): 5 then 0 (last wins: the default, omitted); 2^32 + 1
    assertPrintsLikeOracle(any(adr, 0x08, 0x05, 0x08, 0x00));
    assertPrintsLikeOracle(any(adr, 0x08, 0x81, 0x80, 0x80, 0x80, 0x10));
    // bool 2^63 in a 10-byte varint, value in the tenth byte only
    assertPrintsLikeOracle(any(adr, 0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x01));
    // field 1 with the wrong wire type (fixed32): an unknown field, ignored
    assertPrintsLikeOracle(any(adr, 0x0D, 0x01, 0x02, 0x03, 0x04, 0x08, 0x02));
    // an unknown group (field 15, start 0x7B ... end 0x7C) holding a varint, then field 1
    assertPrintsLikeOracle(any(adr, 0x7B, 0x08, 0x01, 0x7C, 0x08, 0x02));
    // malformed: truncated varint, length past the end, field number 0, wire types 4, 6 and 7
    assertPrintsLikeOracle(any(adr, 0x08, 0x80));
    assertPrintsLikeOracle(any(adr, 0x12, 0x05, 0x01));
    assertPrintsLikeOracle(any(adr, 0x00, 0x01));
    assertPrintsLikeOracle(any(adr, 0x0C));
    assertPrintsLikeOracle(any(adr, 0x0E, 0x01));
    assertPrintsLikeOracle(any(adr, 0x0F, 0x01));
    // an 11-byte varint
    assertPrintsLikeOracle(any(adr, 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x01));
    // GatewayIdentifiers.gateway_id (field 1, string): invalid UTF-8 (a lone continuation byte,
    // an overlong encoding, an encoded surrogate) fails inside an Any
    String gw = "ttn.lorawan.v3.GatewayIdentifiers";
    assertPrintsLikeOracle(any(gw, 0x0A, 0x01, 0x80));
    assertPrintsLikeOracle(any(gw, 0x0A, 0x02, 0xC0, 0x80));
    assertPrintsLikeOracle(any(gw, 0x0A, 0x03, 0xED, 0xA0, 0x80));
    // ... even when a later value replaces it (the parser decodes every value)
    assertPrintsLikeOracle(any(gw, 0x0A, 0x01, 0x80, 0x0A, 0x01, 0x41));
    // valid 2-, 3- and 4-byte sequences, U+2028
    assertPrintsLikeOracle(any(gw, 0x0A, 0x0C, 0xC3, 0xA9, 0xE4, 0xB8, 0xAD, 0xF0, 0x9F, 0x98, 0x80,
        0xE2, 0x80, 0xA8));
    // google.protobuf.Value: empty (null), number NaN (fails), kind switched from string to bool
    assertPrintsLikeOracle(any("google.protobuf.Value"));
    assertPrintsLikeOracle(any("google.protobuf.Value", 0x11, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F));
    assertPrintsLikeOracle(any("google.protobuf.Value", 0x1A, 0x01, 0x41, 0x20, 0x01));
    // Struct with the same key twice
    assertPrintsLikeOracle(any("google.protobuf.Struct", 0x0A, 0x07, 0x0A, 0x01, 0x6B, 0x12, 0x02,
        0x20, 0x01, 0x0A, 0x07, 0x0A, 0x01, 0x6B, 0x12, 0x02, 0x20, 0x00));
    // Timestamp out of range (seconds -62135596801) fails; nanos 1000 prints 6 digits
    assertPrintsLikeOracle(Any.pack(com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(-62_135_596_801L).build()));
    assertPrintsLikeOracle(Any.pack(com.google.protobuf.Timestamp.newBuilder().setNanos(1000)
        .build()));
    // Duration with mixed signs fails
    assertPrintsLikeOracle(Any.pack(com.google.protobuf.Duration.newBuilder().setSeconds(1)
        .setNanos(-1).build()));
    // type URLs: unknown type, no '/', empty with content, only '/'
    assertPrintsLikeOracle(any("ttn.lorawan.v3.Nope"));
    assertPrintsLikeOracle(Any.newBuilder().setTypeUrl("ttn.lorawan.v3.GatewayIdentifiers").build());
    assertPrintsLikeOracle(Any.newBuilder().setValue(ByteString.copyFromUtf8("x")).build());
    assertPrintsLikeOracle(Any.newBuilder().setTypeUrl("/").build());
    assertPrintsLikeOracle(Any.getDefaultInstance());
  }

  @Test
  void deeplyNestedAnyContentFailsLikeJsonFormat() {
    for (int depth : new int[] {98, 99, 100, 101, 102}) {
      com.google.protobuf.Value v = com.google.protobuf.Value.newBuilder().setBoolValue(true).build();
      for (int i = 0; i < depth; i++) {
        v = com.google.protobuf.Value.newBuilder().setListValue(
            com.google.protobuf.ListValue.newBuilder().addValues(v)).build();
      }
      assertPrintsLikeOracle(v);
      assertPrintsLikeOracle(Any.pack(v));
    }
  }

  static String print(JsonFormat.Printer p, Message m) {
    try {
      return p.print(m);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
