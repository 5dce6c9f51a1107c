package dev.loralab.lorawan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class GpsTimeProperties {

  @Property
  void utcRoundTrips(@ForAll @LongRange(min = GpsTime.GPS_EPOCH_UNIX_SECONDS, max = 4_000_000_000L) long unix) {
    Instant utc = Instant.ofEpochSecond(unix);
    assertThat(GpsTime.toUtc(GpsTime.fromUtc(utc))).isEqualTo(utc);
  }

  @Example
  void insertedLeapSecondMapsToTheNextUtcSecond() {
    // 2016-12-31T23:59:60Z: GPS 1167264017 (offset 17) and 1167264018 both precede 2017-01-01 UTC
    assertThat(GpsTime.fromUtc(Instant.parse("2017-01-01T00:00:00Z"))).isEqualTo(1_167_264_018L);
    assertThat(GpsTime.toUtc(1_167_264_017L)).isEqualTo(Instant.parse("2017-01-01T00:00:00Z"));
    assertThat(GpsTime.toUtc(1_167_264_016L)).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
  }

  @Example
  void beforeTheEpochIsADomainError() {
    assertThatThrownBy(() -> GpsTime.fromUtc(Instant.parse("1980-01-05T23:59:59Z")))
        .isInstanceOf(LoRaWanException.class)
        .hasMessageStartingWith("UTC time: expected at or after 1980-01-06T00:00:00Z");
    assertThatThrownBy(() -> GpsTime.toUtc(-1)).isInstanceOf(LoRaWanException.class);
  }
}
