package dev.loralab.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import dev.loralab.api.Utf8Sink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Event;
import dev.loralab.api.v3.GatewayUplinkMessage;
import dev.loralab.api.v3.UplinkMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The printing paths into a caller's {@link Utf8Sink} against the array and String paths and the
 * JsonFormat oracle: the same bytes for arbitrary messages of every api type, for encodings and for
 * the events of the uplink path; nothing reaches the sink when printing fails; a thread's reused
 * buffers give the same output after failures, large messages and re-entrant printing.
 */
class WireJsonPrinterSinkTest {
  static final WireJsonPrinter PRINTER = WireJsonPrinterOracleTest.PRINTER;
  static final byte[] PREFIX = "{\"result\":".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SUFFIX = "}\n".getBytes(StandardCharsets.US_ASCII);
  static final byte[] NONE = new byte[0];

  /** Collects every write; counts the calls. */
  static class Collect implements Utf8Sink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int calls;

    @Override
    public void write(byte[] b, int off, int len) {
      calls++;
      bytes.write(b, off, len);
    }
  }

  static byte[] framed(String json) {
    return ("{\"result\":" + json + "}\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Asserts that every path prints {@code m} as the oracle does (or all fail): String, array and
   * sink from the message, and String, array and sink from its encoding.
   */
  static void assertAllPathsAgree(Message m) {
    String expected;
    try {
      expected = WireJsonPrinterOracleTest.ORACLE.print(m);
    } catch (Exception e) {
      Collect sink = new Collect();
      assertThatThrownBy(() -> PRINTER.printUtf8(m, PREFIX, SUFFIX, sink))
          .isInstanceOf(ProtoJsonException.class);
      assertThatThrownBy(() -> PRINTER.printUtf8(m.getDescriptorForType(), m.toByteArray(), PREFIX,
          SUFFIX, sink)).isInstanceOf(ProtoJsonException.class);
      assertThat(sink.calls).isZero();
      return;
    }
    byte[] want = framed(expected);
    String what = m.getDescriptorForType().getFullName() + " " + m;
    assertThat(PRINTER.print(m)).as(what).isEqualTo(expected);
    assertThat(PRINTER.printUtf8(m, PREFIX, SUFFIX)).as(what).isEqualTo(want);
    Collect sink = new Collect();
    PRINTER.printUtf8(m, PREFIX, SUFFIX, sink);
    assertThat(sink.calls).isEqualTo(1);
    assertThat(sink.bytes.toByteArray()).as(what).isEqualTo(want);

    Descriptor d = m.getDescriptorForType();
    byte[] encoding = m.toByteArray();
    assertThat(PRINTER.print(d, encoding)).as(what).isEqualTo(expected);
    assertThat(PRINTER.printUtf8(d, encoding, PREFIX, SUFFIX)).as(what).isEqualTo(want);
    Collect fromEncoding = new Collect();
    PRINTER.printUtf8(d, encoding, PREFIX, SUFFIX, fromEncoding);
    assertThat(fromEncoding.calls).isEqualTo(1);
    assertThat(fromEncoding.bytes.toByteArray()).as(what).isEqualTo(want);
    Collect bare = new Collect();
    PRINTER.printUtf8(d, encoding, NONE, NONE, bare);
    assertThat(bare.bytes.toByteArray()).as(what).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 300)
  void arbitraryMessagesPrintTheSameBytesOnEveryPath(@ForAll long seed) {
    RandomMessages gen = new RandomMessages(seed, 4);
    Message m = gen.message(gen.anyType());
    assertAllPathsAgree(m);
    assertAllPathsAgree(Any.pack(m));
    assertAllPathsAgree(gen.any(0));
  }

  @Test
  void everyApiTypePrintsTheSameBytesOnEveryPath() {
    for (Descriptor d : RandomMessages.types()) {
      for (int seed = 0; seed < 5; seed++) {
        Message m = new RandomMessages(d.getFullName().hashCode() * 17L + seed, 3).message(d);
        assertAllPathsAgree(m);
        assertAllPathsAgree(Any.pack(m));
      }
    }
  }

  /** Event data types of the uplink path: gs.up.receive, ns.up.data.*, as.up.data.*. */
  static final Descriptor[] UPLINK_DATA = {GatewayUplinkMessage.getDescriptor(),
    UplinkMessage.getDescriptor(), ApplicationUp.getDescriptor(), ApplicationUplink.getDescriptor()};
  static final String[] UPLINK_EVENTS = {"gs.up.receive", "ns.up.data.receive", "ns.up.data.process",
    "ns.up.data.forward", "as.up.data.receive", "as.up.data.forward", "as.up.data.decode.warning"};

  @Property(tries = 300)
  void uplinkPathEventsPrintTheSameBytesOnEveryPath(@ForAll long seed) {
    RandomMessages gen = new RandomMessages(seed, 4);
    Random rnd = new Random(seed);
    Message data = gen.message(UPLINK_DATA[rnd.nextInt(UPLINK_DATA.length)]);
    Event.Builder e = ((Event) gen.message(Event.getDescriptor())).toBuilder()
        .setName(UPLINK_EVENTS[rnd.nextInt(UPLINK_EVENTS.length)])
        .setTime(Timestamp.newBuilder().setSeconds(1_768_471_200L + rnd.nextInt(1000))
            .setNanos(rnd.nextInt(1_000_000_000)))
        .setData(Any.pack(data))
        .addIdentifiers((EntityIdentifiers) gen.message(EntityIdentifiers.getDescriptor()))
        .addCorrelationIds("as:up:01KAXQ4ZK3V0M5F0H7S6W2J8YE")
        .setUniqueId("01KAXQ4ZK3V0M5F0H7S6W2J8YF");
    assertAllPathsAgree(e.build());
    assertAllPathsAgree(e.clearData().build());
  }

  @Test
  void failedAndLargePrintsDoNotDisturbTheNextOnTheSameThread() {
    RandomMessages gen = new RandomMessages(7, 4);
    Message small = Any.pack(gen.message(ApplicationUp.getDescriptor()));
    Any unknown = Any.newBuilder().setTypeUrl("type.googleapis.com/no.such.Type")
        .setValue(ByteString.copyFrom(new byte[] {8, 1})).build();
    // grows every per-thread buffer beyond what is retained
    List<Message> many = new ArrayList<>();
    ApplicationUp.Builder big = ApplicationUp.newBuilder();
    for (int i = 0; i < 3000; i++) {
      big.addCorrelationIds("as:up:" + i);
    }
    many.add(big.build());
    many.add(Any.pack(big.build()));
    for (int round = 0; round < 3; round++) {
      assertAllPathsAgree(small);
      assertThatThrownBy(() -> PRINTER.printUtf8(unknown, PREFIX, SUFFIX, new Collect()))
          .isInstanceOf(ProtoJsonException.class);
      byte[] malformed = {0x0A, 0x05, 0x41}; // field 1, length 5, 1 byte left
      assertThatThrownBy(() -> PRINTER.printUtf8(ApplicationUp.getDescriptor(), malformed, PREFIX,
          SUFFIX, new Collect())).isInstanceOf(ProtoJsonException.class);
      for (Message m : many) {
        assertAllPathsAgree(m);
      }
    }
  }

  @Test
  void unsignedLongsAndTimestampsSharingCacheSlotsPrintLikeJsonFormat() {
    // uint64 frequency at the signed boundaries (printed unsigned), and timestamps whose seconds
    // differ by multiples of 256 (the same slot of the printer's date-time cache), alternating.
    long[] frequencies = {0L, 1L, 868_500_000L, Long.MAX_VALUE, Long.MIN_VALUE, -10L, -1L};
    long[] seconds = {1_768_471_200L, 1_768_471_200L + 256, 1_768_471_200L, -62_135_596_800L,
      -62_135_596_800L + 256 * 1000, 253_402_300_799L, 0L, -1L, 255L, -256L};
    for (long f : frequencies) {
      assertAllPathsAgree(dev.loralab.api.v3.TxSettings.newBuilder().setFrequency(f).build());
    }
    for (int round = 0; round < 2; round++) {
      for (long sec : seconds) {
        assertAllPathsAgree(dev.loralab.api.v3.RxMetadata.newBuilder()
            .setTime(Timestamp.newBuilder().setSeconds(sec).setNanos(round * 1_500_000))
            .setReceivedAt(Timestamp.newBuilder().setSeconds(sec + 256)).build());
      }
    }
    assertThat(PRINTER.print(dev.loralab.api.v3.TxSettings.newBuilder().setFrequency(-1L).build()))
        .isEqualTo("{\"frequency\":\"18446744073709551615\"}");
  }

  static final Descriptor WIDE;

  static {
    try {
      WIDE = wideType();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A type of 72 fields (more than the 64 a frame tracks as seen): 70 int32, a string, itself. */
  static Descriptor wideType() throws Exception {
    com.google.protobuf.DescriptorProtos.DescriptorProto.Builder m =
        com.google.protobuf.DescriptorProtos.DescriptorProto.newBuilder().setName("Wide");
    for (int n = 1; n <= 70; n++) {
      m.addField(com.google.protobuf.DescriptorProtos.FieldDescriptorProto.newBuilder()
          .setName("f" + n).setNumber(n * 3)
          .setType(com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_INT32));
    }
    m.addField(com.google.protobuf.DescriptorProtos.FieldDescriptorProto.newBuilder().setName("s")
        .setNumber(500).setType(com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_STRING));
    m.addField(com.google.protobuf.DescriptorProtos.FieldDescriptorProto.newBuilder().setName("child")
        .setNumber(2).setTypeName(".wide.Wide")
        .setType(com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_MESSAGE));
    com.google.protobuf.DescriptorProtos.FileDescriptorProto file =
        com.google.protobuf.DescriptorProtos.FileDescriptorProto.newBuilder().setName("wide.proto")
            .setPackage("wide").setSyntax("proto3").addMessageType(m).build();
    return com.google.protobuf.Descriptors.FileDescriptor.buildFrom(file,
        new com.google.protobuf.Descriptors.FileDescriptor[0]).findMessageTypeByName("Wide");
  }

  @Property(tries = 100)
  void typesOfMoreThan64FieldsPrintLikeJsonFormat(@ForAll long seed) {
    Descriptor wide = WIDE;
    Random rnd = new Random(seed);
    com.google.protobuf.DynamicMessage.Builder child = com.google.protobuf.DynamicMessage.newBuilder(wide);
    com.google.protobuf.DynamicMessage.Builder b = com.google.protobuf.DynamicMessage.newBuilder(wide);
    for (com.google.protobuf.Descriptors.FieldDescriptor fd : wide.getFields()) {
      if (fd.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.INT
          && rnd.nextInt(3) == 0) {
        b.setField(fd, rnd.nextInt(5) - 1);
        child.setField(fd, rnd.nextInt());
      }
    }
    b.setField(wide.findFieldByName("s"), "wide<" + seed + ">");
    if (rnd.nextBoolean()) {
      b.setField(wide.findFieldByName("child"), child.build());
    }
    assertAllPathsAgree(b.build());
  }

  @Test
  void aSinkThatPrintsAgainGetsTheSameBytes() {
    Message outer = Any.pack(new RandomMessages(3, 3).message(GatewayUplinkMessage.getDescriptor()));
    Message inner = Any.pack(new RandomMessages(4, 3).message(ApplicationUp.getDescriptor()));
    byte[] innerWant = PRINTER.printUtf8(inner, NONE, NONE);
    byte[][] nested = new byte[1][];
    Collect sink = new Collect() {
      @Override
      public void write(byte[] b, int off, int len) {
        nested[0] = PRINTER.printUtf8(inner, NONE, NONE); // re-enters while the outer call is busy
        super.write(b, off, len);
      }
    };
    PRINTER.printUtf8(outer, PREFIX, SUFFIX, sink);
    assertThat(sink.bytes.toByteArray()).isEqualTo(PRINTER.printUtf8(outer, PREFIX, SUFFIX));
    assertThat(nested[0]).isEqualTo(innerWant);
  }

  @Test
  void protoJsonSinkMethodsMatchTheirArrayForms() {
    Message m = Any.pack(new RandomMessages(11, 3).message(UplinkMessage.getDescriptor()));
    Event e = Event.newBuilder().setName("ns.up.data.receive").setData((Any) m).build();
    Collect a = new Collect();
    ProtoJson.printUtf8(e, PREFIX, SUFFIX, a);
    assertThat(a.bytes.toByteArray()).isEqualTo(ProtoJson.printUtf8(e, PREFIX, SUFFIX));
    Collect b = new Collect();
    ProtoJson.printUtf8(Event.getDescriptor(), e.toByteArray(), PREFIX, SUFFIX, b);
    assertThat(b.bytes.toByteArray())
        .isEqualTo(ProtoJson.printUtf8(Event.getDescriptor(), e.toByteArray(), PREFIX, SUFFIX))
        .isEqualTo(framed(ProtoJson.print(e)));
    assertThatThrownBy(() -> ProtoJson.printUtf8(Event.getDescriptor(), e.toByteArray(), PREFIX, SUFFIX,
        null)).isInstanceOf(NullPointerException.class);
  }
}
