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
  void unpairedSurrogatesPrintTheSameUtf8() {
    // A Java string with an unpaired surrogate is serialized with '?' in its place, so the wire
    // printer emits '?' where JsonFormat keeps the lone char; their UTF-8 encodings are identical.
    dev.loralab.api.v3.GatewayIdentifiers g = dev.loralab.api.v3.GatewayIdentifiers.newBuilder()
        .setGatewayId("a\ud800b\udc00c").build();
    String expected = print(ORACLE, g);
    assertThat(PRINTER.print(g).getBytes(StandardCharsets.UTF_8))
        .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  static String print(JsonFormat.Printer p, Message m) {
    try {
      return p.print(m);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
