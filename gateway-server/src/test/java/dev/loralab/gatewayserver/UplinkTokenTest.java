package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.ApiException;
import dev.loralab.lorawan.Eui64;
import io.grpc.Status;
import java.time.Instant;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class UplinkTokenTest {

  private static final UplinkToken TOKEN = new UplinkToken(Eui64.parse("B827EBFFFE8DB887"), 1,
      0xFFFF_FFFEL, Instant.ofEpochSecond(1_767_225_600L, 123_456_789), 868_100_000L, true, 7,
      125_000, 42);

  @Test
  void encodesFieldByField() {
    assertThat(HexFormat.of().withUpperCase().formatHex(TOKEN.toBytes())).isEqualTo(
        "01"                    // format
        + "B827EBFFFE8DB887"    // gateway EUI
        + "01"                  // antenna
        + "FFFFFFFE"            // tmst
        + "18867251F555CD15"    // received at: 1767225600.123456789 s in ns
        + "0000000033BE27A0"    // 868.1 MHz
        + "00"                  // LoRa
        + "07"                  // SF7
        + "0001E848"            // 125 kHz
        + "000000000000002A");  // connection serial
    assertThat(UplinkToken.parse(TOKEN.toBytes())).isEqualTo(TOKEN);
  }

  @Test
  void malformedTokensAreInvalidArgument() {
    byte[] wrongFormat = TOKEN.toBytes();
    wrongFormat[0] ^= 0x02;
    byte[] badModulation = TOKEN.toBytes();
    badModulation[30] = 9;
    for (byte[] b : new byte[][] {new byte[0], new byte[43], wrongFormat, badModulation}) {
      assertThatThrownBy(() -> UplinkToken.parse(b)).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
  }

  @Property(tries = 300)
  void roundTrips(@ForAll long eui, @ForAll @IntRange(max = 255) int antenna,
      @ForAll @LongRange(max = 0xFFFF_FFFFL) long tmst,
      @ForAll @LongRange(min = 0, max = 4_000_000_000L) long seconds,
      @ForAll @IntRange(min = 7, max = 12) int sf, @ForAll long serial) {
    UplinkToken t = new UplinkToken(new Eui64(eui), antenna, tmst,
        Instant.ofEpochSecond(seconds, 999), 923_200_000L, true, sf, 125_000, serial);
    assertThat(UplinkToken.parse(t.toBytes())).isEqualTo(t);
  }
}
