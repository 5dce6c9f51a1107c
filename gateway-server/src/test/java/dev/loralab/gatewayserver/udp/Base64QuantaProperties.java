package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The base64 decoding of padded quanta gives exactly the JDK decoder's bytes, and refuses (-1)
 * every text the JDK refuses; what it leaves to the JDK is only ever unpadded or malformed text.
 */
class Base64QuantaProperties {

  /** The result of {@link Base64Quanta#decode}, or null for a refusal. */
  private static byte[] quanta(String s) {
    // decoded from an offset, as from a datagram (each character one byte)
    byte[] c = ("<>" + s + "<>").getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[Base64Quanta.maxDecodedLength(s.length())];
    int n = Base64Quanta.decode(c, 2, s.length(), out);
    return n < 0 ? null : Arrays.copyOf(out, n);
  }

  private static byte[] jdk(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Example
  void vectors() {
    // "QPF9vkkAAgABlUN4disR/w0=": 17 bytes, 5 whole quanta and one padded with one '='
    assertThat(quanta("QPF9vkkAAgABlUN4disR/w0=")).isEqualTo(new byte[] {
        0x40, (byte) 0xF1, 0x7D, (byte) 0xBE, 0x49, 0x00, 0x02, 0x00, 0x01, (byte) 0x95, 0x43,
        0x78, 0x76, 0x2B, 0x11, (byte) 0xFF, 0x0D});
    assertThat(quanta("")).isEmpty(); // no quanta, no bytes
    assertThat(quanta("QQ==")).containsExactly(0x41); // 'Q','Q': 010000 010000 -> 0x41, 0000 unused
    assertThat(quanta("QR==")).containsExactly(0x41); // unused low bits ignored, as by the JDK
    assertThat(quanta("QUI=")).containsExactly(0x41, 0x42);
    assertThat(quanta("QUJD")).containsExactly(0x41, 0x42, 0x43);
    assertThat(quanta("QQ")).isNull(); // unpadded: the JDK decodes it
    assertThat(jdk("QQ")).containsExactly(0x41);
    assertThat(quanta("Q===")).isNull(); // one character is no byte
    assertThat(quanta("QQ==QQ==")).isNull(); // padding inside
    assertThat(quanta("QUJ\u00C4")).isNull(); // not ASCII
    assertThat(quanta("QU-D")).isNull(); // URL alphabet
  }

  @Property(tries = 2_000)
  void encodedBytesDecodeBack(@ForAll @Size(max = 300) byte[] bytes) {
    assertThat(quanta(Base64.getEncoder().encodeToString(bytes))).isEqualTo(bytes);
  }

  @Property(tries = 1_000)
  void oneFlippedBitDecodesAsByTheJdkOrIsLeftToIt(@ForAll @Size(min = 1, max = 64) byte[] bytes,
      @ForAll("positions") int position, @ForAll("bits") int bit) {
    char[] text = Base64.getEncoder().encodeToString(bytes).toCharArray();
    int i = position % text.length;
    text[i] = (char) (text[i] ^ (1 << bit));
    String s = new String(text);
    byte[] mine = quanta(s);
    if (mine != null) {
      assertThat(mine).as(s).isEqualTo(jdk(s));
    }
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }

  @Provide
  Arbitrary<Integer> bits() {
    return Arbitraries.integers().between(0, 7);
  }

  @Property(tries = 3_000)
  void anyTextDecodesAsByTheJdkOrIsLeftToIt(@ForAll("texts") String s) {
    byte[] mine = quanta(s);
    byte[] jdk = jdk(s);
    if (mine != null) {
      assertThat(mine).as(s).isEqualTo(jdk);
    } else if (jdk != null) {
      // left to the JDK only when it is not whole padded quanta
      assertThat(s.length() % 4 != 0 || s.chars().anyMatch(ch -> ch > 127)).as(s).isTrue();
    }
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        + "0123456789+/====-_ \u00E9").ofMaxLength(24);
  }
}
