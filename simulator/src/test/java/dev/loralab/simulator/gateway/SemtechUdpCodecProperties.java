package dev.loralab.simulator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SemtechUdpCodecProperties {

  private final SemtechUdpCodec codec = new SemtechUdpCodec();

  @Property
  void arbitraryBytesDecodeOrFailTyped(@ForAll @Size(max = 300) byte[] datagram) {
    try {
      codec.decode(datagram);
    } catch (SemtechUdpException e) {
      assertThat(e.field()).isNotBlank();
    }
  }

  @Property
  void pushDataRoundTrips(@ForAll("rxpk") List<RxPacket> rxpk, @ForAll @IntRange(max = 0xFFFF) int token,
      @ForAll long eui) {
    SemtechPacket p = new SemtechPacket.PushData(2, token, new Eui64(eui), rxpk, Optional.empty());
    assertThat(codec.decode(codec.encode(p))).isEqualTo(p);
  }

  @Property
  void pullRespRoundTrips(@ForAll @IntRange(min = 1, max = 2) int version, @ForAll @IntRange(max = 0xFFFF) int token,
      @ForAll("tmst") long tmst, @ForAll @IntRange(min = 5, max = 12) int sf, @ForAll @Size(max = 255) byte[] data,
      @ForAll boolean imme) {
    TxPacket tx = new TxPacket(imme, imme ? OptionalLong.empty() : OptionalLong.of(tmst), 869_525_000L, 0, 14,
        new LoRaDataRate(sf, 125_000), "4/5", true, true, Bytes.of(data));
    SemtechPacket p = new SemtechPacket.PullResp(version, token, tx);
    assertThat(codec.decode(codec.encode(p))).isEqualTo(p);
  }

  @Provide
  Arbitrary<Long> tmst() {
    return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
  }

  @Provide
  Arbitrary<List<RxPacket>> rxpk() {
    Arbitrary<RxPacket> one = Combinators.combine(
        Arbitraries.longs().between(0, 0xFFFF_FFFFL),
        Arbitraries.longs().between(100_000_000L, 1_000_000_000L),
        Arbitraries.integers().between(5, 12),
        Arbitraries.integers().between(-140, 0),
        Arbitraries.integers().between(-250, 150),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(255),
        Arbitraries.longs().between(0, 4_000_000_000L))
        .as((tmst, hz, sf, rssi, snrTenths, data, micros) -> new RxPacket(
            Optional.of(Instant.ofEpochSecond(micros / 1000, (micros % 1000) * 1000)), tmst, hz, 0, 0, 1,
            new LoRaDataRate(sf, 125_000), "4/5", rssi, snrTenths / 10.0, Bytes.of(data)));
    return one.list().ofMaxSize(4);
  }
}
