package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.util.List;
import java.util.Optional;
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

  @Property(tries = 2000)
  void arbitraryBytesDecodeOrFailTyped(@ForAll @Size(max = 300) byte[] datagram) {
    try {
      codec.decode(datagram);
    } catch (SemtechUdpException e) {
      assertThat(e.reason()).isNotNull();
    }
  }

  @Property(tries = 2000)
  void arbitraryJsonBodiesDecodeOrFailTyped(@ForAll("headers") byte[] header,
      @ForAll @Size(max = 200) String body) {
    byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] d = new byte[header.length + b.length];
    System.arraycopy(header, 0, d, 0, header.length);
    System.arraycopy(b, 0, d, header.length, b.length);
    try {
      codec.decode(d);
    } catch (SemtechUdpException e) {
      assertThat(e.reason()).isNotNull();
    }
  }

  @Provide
  Arbitrary<byte[]> headers() {
    return Arbitraries.of(0, 3, 5).map(type -> new byte[] {2, 0, 1, (byte) (int) type,
        1, 2, 3, 4, 5, 6, 7, 8}).map(h -> h[3] == 3 ? new byte[] {2, 0, 1, 3} : h);
  }

  @Property(tries = 500)
  void pushDataRoundTrips(@ForAll("pushData") PushData p) {
    assertThat(codec.decode(codec.encode(p))).isEqualTo(p);
  }

  @Property(tries = 500)
  void pullRespRoundTrips(@ForAll("tmst") long tmst, @ForAll("frequency") long hz,
      @ForAll @IntRange(min = 7, max = 12) int sf, @ForAll @IntRange(max = 0xFFFF) int token,
      @ForAll @Size(max = 255) byte[] data) {
    PullResp p = new PullResp(2, token,
        Txpk.loraAt(tmst, hz, 14, sf, 125_000, "4/5", Bytes.of(data)));
    assertThat(codec.decode(codec.encode(p))).isEqualTo(p);
  }

  @Provide
  Arbitrary<Long> tmst() {
    return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
  }

  @Provide
  Arbitrary<Long> frequency() {
    return Arbitraries.longs().between(SemtechUdpCodec.MIN_FREQUENCY_HZ,
        SemtechUdpCodec.MAX_FREQUENCY_HZ);
  }

  @Provide
  Arbitrary<PushData> pushData() {
    Arbitrary<Rxpk> rxpk = Combinators.combine(
        tmst(), frequency(),
        Arbitraries.integers().between(5, 12),
        Arbitraries.of(125_000, 250_000, 500_000),
        Arbitraries.integers().between(-140, 10).map(Double::valueOf),
        Arbitraries.integers().between(-200, 200).map(i -> i / 10.0),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(255),
        Arbitraries.integers().between(0, 3).list().ofMaxSize(3))
        .as((t, f, sf, bw, rssi, snr, data, ants) -> new Rxpk(null, null, t, null, f, 1, 0, null,
            1, Modulation.LORA, new Datr.LoRa(sf, bw), "4/5", rssi, null, snr, null, null, null,
            null, ants.stream().map(a -> Rsig.of(a, rssi, snr)).toList(), Bytes.of(data)));
    Arbitrary<Optional<Stat>> stat = Arbitraries.longs().between(0, 1000).optional()
        .map(o -> o.map(n -> Stat.counters("2014-01-12 08:59:28 GMT", n, n, n, 100.0, 0, 0)));
    return Combinators.combine(Arbitraries.integers().between(1, 2),
        Arbitraries.integers().between(0, 0xFFFF), Arbitraries.longs(),
        rxpk.list().ofMaxSize(4), stat)
        .as((v, tok, eui, list, st) -> new PushData(v, tok, new Eui64(eui), list, st));
  }
}
