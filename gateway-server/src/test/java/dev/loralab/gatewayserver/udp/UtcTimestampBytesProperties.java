package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The common shape read from ASCII bytes is the one read from the string, value or null. */
class UtcTimestampBytesProperties {

  private static Instant fromBytes(String s) {
    byte[] b = ("xx" + s + "yy").getBytes(StandardCharsets.ISO_8859_1);
    return UtcTimestamp.parseCommonShape(b, 2, s.length());
  }

  @Provide
  Arbitrary<String> timestamps() {
    return new UtcTimestampProperties().timestamps();
  }

  @Property(tries = 5_000)
  void bytesReadAsTheString(@ForAll("timestamps") String s) {
    assertThat(fromBytes(s)).as(s).isEqualTo(UtcTimestamp.parseCommonShape(s));
  }

  @Example
  void vectors() {
    // yyyy-MM-dd 'T' HH:mm:ss '.' 6 fraction digits 'Z'
    assertThat(fromBytes("2026-01-15T10:00:00.123456Z"))
        .isEqualTo(Instant.parse("2026-01-15T10:00:00.123456Z"));
    assertThat(fromBytes("2024-02-29T23:59:59Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    assertThat(fromBytes("2023-02-29T00:00:00Z")).isNull(); // no such day
    assertThat(fromBytes("2026-12-31T23:59:60Z")).isNull(); // leap second: Instant.parse decides
    assertThat(fromBytes("2026-01-15T10:00:00.Z")).isNull(); // empty fraction
    assertThat(fromBytes("2026-01-15t10:00:00Z")).isNull(); // lower case
  }
}
