package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Datr.LoRa#parse} accepts exactly the strings of the pattern
 * {@code SF(\d{1,2})BW(\d{1,3}(\.\d{1,3})?)} and reads them as a reference parser built on that
 * regular expression does.
 */
class DatrParseProperties {

  private static final Pattern REFERENCE = Pattern.compile("SF(\\d{1,2})BW(\\d{1,3}(?:\\.\\d{1,3})?)");

  /** The regex-based parse the codec used before: data rate or the exception's message. */
  private static Optional<Datr.LoRa> reference(String s) {
    Matcher m = REFERENCE.matcher(s);
    if (!m.matches()) {
      return Optional.empty();
    }
    int sf = Integer.parseInt(m.group(1));
    int bw = (int) Math.round(Double.parseDouble(m.group(2)) * 1000);
    if (bw == 7_813) {
      bw = 7_800;
    }
    return Optional.of(new Datr.LoRa(sf, bw));
  }

  private static String outcome(java.util.function.Supplier<Datr.LoRa> parse) {
    try {
      return "ok " + parse.get();
    } catch (SemtechUdpException e) {
      return "error " + e.getMessage();
    }
  }

  @Provide
  Arbitrary<String> datrLike() {
    Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(4);
    Arbitrary<String> noise = Arbitraries.strings().withChars("SFBW.0123456789 x+-").ofMaxLength(12);
    Arbitrary<String> shaped = net.jqwik.api.Combinators.combine(
        Arbitraries.of("SF", "sf", "S", "SF"), digits, Arbitraries.of("BW", "Bw", "BW", ""), digits,
        Arbitraries.of("", ".", ".", "x"), digits)
        .as((a, b, c, d, e, f) -> a + b + c + d + e + f);
    Arbitrary<String> real = Arbitraries.of("SF7BW125", "SF12BW500", "SF5BW812.5", "SF9BW7.8",
        "SF10BW62.5", "SF8BW203.125", "SF6BW406.25", "SF11BW41.7", "SF07BW125", "SF7BW125.0",
        "SF7BW7.813", "SF13BW125", "SF4BW125", "SF7BW124", "SF7BW1250", "SF7BW125.", "SF7BW.5");
    return Arbitraries.oneOf(shaped, noise, real);
  }

  @Property(tries = 3_000)
  void parsesAsTheRegularExpression(@ForAll("datrLike") String s) {
    String expected = outcome(() -> reference(s).orElseThrow(() -> new SemtechUdpException(
        DropReason.INVALID_FIELD, "datr", "SF<n>BW<kHz>", SemtechUdpCodec.quote(s))));
    assertThat(outcome(() -> Datr.LoRa.parse(s))).as(s).isEqualTo(expected);
  }

  @Example
  void everyBandwidthWithUpToThreeDecimals() {
    for (int sf = 0; sf <= 99; sf += 7) {
      for (int milli = 0; milli <= 999_999; milli += 1) {
        if (milli % 1000 != 0 && milli % 7 != 0) {
          continue;
        }
        String kHz = java.math.BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString();
        String s = "SF" + sf + "BW" + kHz;
        assertThat(outcome(() -> Datr.LoRa.parse(s))).as(s).isEqualTo(outcome(() -> reference(s).orElseThrow()));
      }
    }
  }
}
