package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link UtcTimestamp#parse} gives exactly what {@link Instant#parse} gives, value or error. */
class UtcTimestampProperties {

  private static String outcome(java.util.function.Supplier<Instant> parse) {
    try {
      return "ok " + parse.get();
    } catch (DateTimeParseException e) {
      return "error " + e.getMessage();
    }
  }

  @Provide
  Arbitrary<String> timestamps() {
    Arbitrary<String> shaped = Combinators.combine(
        Arbitraries.integers().between(0, 9999).map(y -> String.format("%04d", y)),
        Arbitraries.integers().between(0, 13).map(m -> String.format("%02d", m)),
        Arbitraries.integers().between(0, 32).map(d -> String.format("%02d", d)),
        Arbitraries.integers().between(0, 25).map(h -> String.format("%02d", h)),
        Arbitraries.integers().between(0, 60).map(m -> String.format("%02d", m)),
        Arbitraries.integers().between(0, 61).map(s -> String.format("%02d", s)),
        Arbitraries.strings().withChars("0123456789").ofMaxLength(11),
        Arbitraries.of("Z", "Z", "z", "+01:00", "", " Z"))
        .as((y, mo, d, h, mi, s, f, z) -> y + "-" + mo + "-" + d + "T" + h + ":" + mi + ":" + s
            + (f.isEmpty() ? "" : "." + f) + z);
    Arbitrary<String> mutated = shaped.flatMap(s -> Arbitraries.integers().between(0, s.length() - 1)
        .flatMap(i -> Arbitraries.chars().with("0123456789-:.TtZ x").map(
            c -> s.substring(0, i) + c + s.substring(i + 1))));
    Arbitrary<String> dot = shaped.map(s -> s.replace(".", ".Z").replaceFirst("Z.*", "Z"));
    return Arbitraries.oneOf(shaped, mutated, dot);
  }

  @Property(tries = 5_000)
  void parsesAsInstantParse(@ForAll("timestamps") String s) {
    assertThat(outcome(() -> UtcTimestamp.parse(s))).as(s).isEqualTo(outcome(() -> Instant.parse(s)));
  }

  @Example
  void commonShapes() {
    for (String s : new String[] {"2013-03-31T16:21:17.528002Z", "2026-01-15T10:00:00Z",
        "2024-02-29T23:59:59.999999999Z", "2023-02-29T00:00:00Z", "2026-01-15T10:00:00.Z",
        "2026-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.1Z"}) {
      assertThat(outcome(() -> UtcTimestamp.parse(s))).as(s).isEqualTo(outcome(() -> Instant.parse(s)));
    }
    assertThat(UtcTimestamp.parseCommonShape("2013-03-31T16:21:17.528002Z"))
        .isEqualTo(Instant.parse("2013-03-31T16:21:17.528002Z"));
  }
}
