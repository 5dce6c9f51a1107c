package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.lorawan.Eui64;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The comparison of the PUSH_DATA decoding properties: the bytes decoder, whenever it decodes,
 * gives what the tree decoder (the reference) gives, and the codec as a whole gives the tree's
 * packet or the tree's error.
 */
final class PushDataOutcomes {

  static final int HEADER = 12;
  static final Eui64 EUI = new Eui64(0x0102030405060708L);

  private PushDataOutcomes() {}

  /** A decoded value, or the reason, field, expected and found of the error. */
  record Outcome(Object value) {}

  static Outcome outcome(Supplier<?> decode) {
    try {
      return new Outcome(decode.get());
    } catch (SemtechUdpException e) {
      return new Outcome(List.of(e.reason(), String.valueOf(e.field()), String.valueOf(e.expected()),
          String.valueOf(e.found())));
    }
  }

  /** A PUSH_DATA datagram: version 2, token 0x1234, gateway EUI 0102030405060708. */
  static byte[] datagram(String json) {
    return SemtechUdpHandlerBufferTest.pushData(json);
  }

  /** The body read by the bytes decoder alone, or null where it leaves it to the tree. */
  static PushData bytes(SemtechUdpCodec c, byte[] d) {
    return c.decodePushDataBytes(2, 0x1234, EUI, d, HEADER, d.length - HEADER);
  }

  /** The bytes decoder, when it decodes, equals the tree; the codec equals the tree. */
  static void assertAsTheTree(SemtechUdpCodec c, byte[] d) {
    String text = new String(d, StandardCharsets.ISO_8859_1);
    int len = d.length - HEADER;
    Outcome tree = outcome(() -> c.decodePushDataTree(2, 0x1234, EUI, d, HEADER, len));
    PushData direct = bytes(c, d);
    if (direct != null) {
      assertThat(new Outcome(direct)).as(text).isEqualTo(tree);
    }
    assertThat(outcome(() -> c.decode(d))).as(text).isEqualTo(tree);
  }
}
