package dev.loralab.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link ProtoJson#print(Descriptor, byte[])} and {@link ProtoJson#printUtf8(Descriptor, byte[], byte[], byte[])}
 * print a kept encoding as printing the message parsed from it does: the same text for every
 * encoding the parser accepts (or the same failure), and a {@link ProtoJsonException}, never
 * another exception, for corrupted or truncated encodings.
 */
class WireJsonPrinterEncodingTest {
  private static final String[][] FRAMES = {{"", ""}, {"{\"result\":", "}\n"}, {"é€😀 ", " ü"}};

  /** Asserts that printing the encoding of {@code m} gives what printing {@code m} gives. */
  static void assertPrintsLikeMessage(Message m) {
    byte[] encoding = m.toByteArray();
    byte[] copy = encoding.clone();
    Descriptor d = m.getDescriptorForType();
    String json;
    try {
      json = ProtoJson.print(m);
    } catch (ProtoJsonException e) {
      assertThatThrownBy(() -> ProtoJson.print(d, encoding)).isInstanceOf(ProtoJsonException.class)
          .hasMessage(e.getMessage());
      assertThatThrownBy(() -> ProtoJson.printUtf8(d, encoding, new byte[0], new byte[0]))
          .isInstanceOf(ProtoJsonException.class).hasMessage(e.getMessage());
      return;
    }
    assertThat(ProtoJson.print(d, encoding)).as("%s %s", d.getFullName(), m).isEqualTo(json);
    for (String[] f : FRAMES) {
      assertThat(ProtoJson.printUtf8(d, encoding, f[0].getBytes(StandardCharsets.UTF_8),
          f[1].getBytes(StandardCharsets.UTF_8))).isEqualTo((f[0] + json + f[1]).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(encoding).as("the encoding is not modified").isEqualTo(copy);
  }

  /**
   * For an arbitrary byte string as the encoding of {@code d}: if the parser accepts it, printing it
   * equals printing the parsed message (or fails alike); otherwise printing it may fail, but only
   * with a ProtoJsonException.
   */
  static void assertPrintsLikeParsedOrFailsCleanly(Descriptor d, byte[] encoding) {
    Message parsed;
    try {
      parsed = DynamicMessage.parseFrom(d, encoding);
    } catch (InvalidProtocolBufferException e) {
      try {
        ProtoJson.print(d, encoding);
      } catch (ProtoJsonException expected) {
        // a clean failure
      }
      return;
    }
    String json;
    try {
      json = ProtoJson.print(parsed);
    } catch (ProtoJsonException e) {
      assertThatThrownBy(() -> ProtoJson.print(d, encoding)).isInstanceOf(ProtoJsonException.class);
      return;
    }
    assertThat(ProtoJson.print(d, encoding)).as("%s", d.getFullName()).isEqualTo(json);
  }

  @Test
  void everyApiTypeWithRandomValues() {
    for (Descriptor d : RandomMessages.types()) {
      for (int seed = 0; seed < 10; seed++) {
        RandomMessages gen = new RandomMessages(d.getFullName().hashCode() * 17L + seed, 3);
        Message m = gen.message(d);
        assertPrintsLikeMessage(m);
        assertPrintsLikeMessage(Any.pack(m));
      }
    }
  }

  @Property(tries = 300)
  void randomMessagesAndAnys(@ForAll long seed) {
    RandomMessages gen = new RandomMessages(seed, 4);
    Message m = gen.message(gen.anyType());
    assertPrintsLikeMessage(m);
    assertPrintsLikeMessage(Any.pack(m));
    assertPrintsLikeMessage(gen.any(0));
  }

  @Property(tries = 500)
  void oneBitCorruptionsPrintLikeTheParsedMessageOrFailCleanly(@ForAll long seed) {
    RandomMessages gen = new RandomMessages(seed, 3);
    Random rnd = new Random(seed);
    Message m = gen.message(gen.anyType());
    byte[] b = m.toByteArray();
    if (b.length == 0) {
      return;
    }
    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
    assertPrintsLikeParsedOrFailsCleanly(m.getDescriptorForType(), b);
  }

  @Property(tries = 200)
  void everyTruncationPrintsLikeTheParsedMessageOrFailsCleanly(@ForAll long seed) {
    RandomMessages gen = new RandomMessages(seed, 3);
    Message m = Any.pack(gen.message(gen.anyType()));
    byte[] b = m.toByteArray();
    for (int n = 0; n < b.length; n++) {
      assertPrintsLikeParsedOrFailsCleanly(m.getDescriptorForType(), java.util.Arrays.copyOf(b, n));
    }
  }

  @Test
  void anEncodingTheParserRejectsFails() {
    // GatewayIdentifiers.gateway_id (field 1, length-delimited) holding invalid UTF-8: 0a 01 ff
    byte[] invalidUtf8 = {0x0a, 0x01, (byte) 0xff};
    Descriptor d = dev.loralab.api.v3.GatewayIdentifiers.getDescriptor();
    assertThatThrownBy(() -> DynamicMessage.parseFrom(d, invalidUtf8))
        .isInstanceOf(InvalidProtocolBufferException.class);
    assertThatThrownBy(() -> ProtoJson.print(d, invalidUtf8)).isInstanceOf(ProtoJsonException.class);
    // gateway_id declared 5 bytes long, 1 present: 0a 05 61
    assertThatThrownBy(() -> ProtoJson.print(d, new byte[] {0x0a, 0x05, 0x61}))
        .isInstanceOf(ProtoJsonException.class);
  }

  @Test
  void byteExactVector() {
    // GatewayIdentifiers: 0a (field 1 gateway_id, length-delimited) 04 (length) "gw-1"
    byte[] encoding = {0x0a, 0x04, 'g', 'w', '-', '1'};
    Descriptor d = dev.loralab.api.v3.GatewayIdentifiers.getDescriptor();
    assertThat(ProtoJson.print(d, encoding)).isEqualTo("{\"gateway_id\":\"gw-1\"}");
    assertThat(ProtoJson.printUtf8(d, encoding, new byte[] {'['}, new byte[] {']'}))
        .isEqualTo("[{\"gateway_id\":\"gw-1\"}]".getBytes(StandardCharsets.UTF_8));
    // an empty encoding is the empty message
    assertThat(ProtoJson.print(d, new byte[0])).isEqualTo("{}");
    // an Any packing it: 0a <length> <type URL> (field 1), 12 06 <the encoding above> (field 2)
    Any any = Any.newBuilder().setTypeUrl("type.googleapis.com/ttn.lorawan.v3.GatewayIdentifiers")
        .setValue(ByteString.copyFrom(encoding)).build();
    assertThat(ProtoJson.print(Any.getDescriptor(), any.toByteArray()))
        .isEqualTo("{\"@type\":\"type.googleapis.com/ttn.lorawan.v3.GatewayIdentifiers\",\"gateway_id\":\"gw-1\"}");
  }
}
