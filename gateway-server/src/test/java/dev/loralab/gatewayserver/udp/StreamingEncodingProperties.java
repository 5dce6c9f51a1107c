package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.gatewayserver.udp.SemtechPacket.TxAck;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The streaming encoder writes exactly the bytes of the former tree-based one
 * ({@link TreeJsonEncoding}) for packets with every optional field present or absent, whole and
 * fractional numbers, every modulation.
 */
class StreamingEncodingProperties {

  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  private final TreeJsonEncoding reference = new TreeJsonEncoding();

  private static <T> Arbitrary<T> maybe(Arbitrary<T> a) {
    return a.injectNull(0.4);
  }

  private static Arbitrary<Double> doubles(double min, double max) {
    return Arbitraries.oneOf(
        Arbitraries.integers().between((int) Math.ceil(min), (int) Math.floor(max)).map(Double::valueOf),
        Arbitraries.doubles().between(min, max),
        Arbitraries.doubles().between(min, max).ofScale(2));
  }

  private static Arbitrary<String> text() {
    return Arbitraries.strings().ofMaxLength(64);
  }

  private static Arbitrary<Bytes> bytes(int max) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(max).map(Bytes::of);
  }

  private static Arbitrary<Datr> loraDatr() {
    return Arbitraries.integers().between(5, 12).flatMap(sf -> Arbitraries.of(7_800, 62_500, 125_000,
        203_125, 406_250, 812_500).map(bw -> new Datr.LoRa(sf, bw)));
  }

  private static Arbitrary<Datr> fskDatr() {
    return Arbitraries.integers().between(500, 300_000).map(Datr.Fsk::new);
  }

  private static Arbitrary<Long> frequencies() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(SemtechUdpCodec.MIN_FREQUENCY_HZ, SemtechUdpCodec.MAX_FREQUENCY_HZ),
        Arbitraries.longs().between(100, 3_000).map(mhz -> mhz * 1_000_000),
        Arbitraries.of(868_100_000L, 869_525_000L, 1_000_000_000L, 2_000_000_000L, 902_300_000L));
  }

  @Provide
  Arbitrary<Rsig> rsig() {
    return Builders.withBuilder(() -> new Object[9])
        .use(Arbitraries.integers().between(0, 255)).in((a, v) -> { a[0] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 255))).in((a, v) -> { a[1] = v; return a; })
        .use(maybe(doubles(-300, 100))).in((a, v) -> { a[2] = v; return a; })
        .use(maybe(doubles(-300, 100))).in((a, v) -> { a[3] = v; return a; })
        .use(maybe(doubles(0, 1000))).in((a, v) -> { a[4] = v; return a; })
        .use(maybe(doubles(-100, 100))).in((a, v) -> { a[5] = v; return a; })
        .use(maybe(bytes(32))).in((a, v) -> { a[6] = v; return a; })
        .use(maybe(Arbitraries.longs().between(0, 999_999_999))).in((a, v) -> { a[7] = v; return a; })
        .use(maybe(Arbitraries.longs().between(-1_000_000, 1_000_000))).in((a, v) -> { a[8] = v; return a; })
        .build(a -> new Rsig((Integer) a[0], (Integer) a[1], (Double) a[2], (Double) a[3], (Double) a[4],
            (Double) a[5], (Bytes) a[6], (Long) a[7], (Long) a[8]));
  }

  @Provide
  Arbitrary<Rxpk> rxpk() {
    return Builders.withBuilder(() -> new Object[21])
        .use(maybe(Arbitraries.longs().between(0, 4_000_000_000L).map(ms -> Instant.ofEpochMilli(ms * 1000 + ms % 1000).plusNanos(ms % 7 * 1000))))
        .in((a, v) -> { a[0] = v; return a; })
        .use(maybe(Arbitraries.longs().between(0, Long.MAX_VALUE / 2))).in((a, v) -> { a[1] = v; return a; })
        .use(Arbitraries.longs().between(0, 0xFFFF_FFFFL)).in((a, v) -> { a[2] = v; return a; })
        .use(maybe(Arbitraries.longs().between(0, 999_999_999))).in((a, v) -> { a[3] = v; return a; })
        .use(frequencies()).in((a, v) -> { a[4] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 255))).in((a, v) -> { a[5] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 255))).in((a, v) -> { a[6] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 255))).in((a, v) -> { a[7] = v; return a; })
        .use(maybe(Arbitraries.integers().between(-1, 1))).in((a, v) -> { a[8] = v; return a; })
        .use(Arbitraries.oneOf(loraDatr(), fskDatr(), Arbitraries.of(new Datr.LrFhss("M0CW137"))))
        .in((a, v) -> { a[9] = v; return a; })
        .use(maybe(Arbitraries.of("4/5", "4/6", "4/7", "4/8", "4/5LI", "2/3", "OFF"))).in((a, v) -> { a[10] = v; return a; })
        .use(maybe(doubles(-300, 100))).in((a, v) -> { a[11] = v; return a; })
        .use(maybe(doubles(-300, 100))).in((a, v) -> { a[12] = v; return a; })
        .use(maybe(doubles(-100, 100))).in((a, v) -> { a[13] = v; return a; })
        .use(maybe(Arbitraries.longs().between(-1_000_000, 1_000_000))).in((a, v) -> { a[14] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 255))).in((a, v) -> { a[15] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 255))).in((a, v) -> { a[16] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 255))).in((a, v) -> { a[17] = v; return a; })
        .use(rsig().list().ofMaxSize(3)).in((a, v) -> { a[18] = v; return a; })
        .use(bytes(255)).in((a, v) -> { a[19] = v; return a; })
        .build(a -> {
          Datr datr = (Datr) a[9];
          Modulation modu = datr instanceof Datr.LoRa ? Modulation.LORA
              : datr instanceof Datr.Fsk ? Modulation.FSK : Modulation.LR_FHSS;
          @SuppressWarnings("unchecked")
          List<Rsig> rsig = (List<Rsig>) a[18];
          return new Rxpk((Instant) a[0], (Long) a[1], (Long) a[2], (Long) a[3], (Long) a[4],
              (Integer) a[5], (Integer) a[6], (Integer) a[7], (Integer) a[8], modu, datr,
              (String) a[10], (Double) a[11], (Double) a[12], (Double) a[13], (Long) a[14],
              (Integer) a[15], (Integer) a[16], (Integer) a[17], rsig, (Bytes) a[19]);
        });
  }

  @Provide
  Arbitrary<Stat> stat() {
    Arbitrary<Long> count = maybe(Arbitraries.longs().between(0, 0xFFFF_FFFFL));
    return Builders.withBuilder(() -> new Object[19])
        .use(maybe(text())).in((a, v) -> { a[0] = v; return a; })
        .use(maybe(doubles(-90, 90))).in((a, v) -> { a[1] = v; return a; })
        .use(maybe(doubles(-180, 180))).in((a, v) -> { a[2] = v; return a; })
        .use(maybe(Arbitraries.integers().between(-20_000, 100_000))).in((a, v) -> { a[3] = v; return a; })
        .use(count).in((a, v) -> { a[4] = v; return a; })
        .use(count).in((a, v) -> { a[5] = v; return a; })
        .use(count).in((a, v) -> { a[6] = v; return a; })
        .use(maybe(doubles(0, 100))).in((a, v) -> { a[7] = v; return a; })
        .use(count).in((a, v) -> { a[8] = v; return a; })
        .use(count).in((a, v) -> { a[9] = v; return a; })
        .use(maybe(doubles(-273.15, 500))).in((a, v) -> { a[10] = v; return a; })
        .use(maybe(text())).in((a, v) -> { a[11] = v; return a; })
        .use(count).in((a, v) -> { a[12] = v; return a; })
        .use(count).in((a, v) -> { a[13] = v; return a; })
        .use(count).in((a, v) -> { a[14] = v; return a; })
        .use(count).in((a, v) -> { a[15] = v; return a; })
        .use(count).in((a, v) -> { a[16] = v; return a; })
        .use(count).in((a, v) -> { a[17] = v; return a; })
        .use(maybe(text())).in((a, v) -> { a[18] = v; return a; })
        .build(a -> new Stat((String) a[0], (Double) a[1], (Double) a[2], (Integer) a[3], (Long) a[4],
            (Long) a[5], (Long) a[6], (Double) a[7], (Long) a[8], (Long) a[9], (Double) a[10],
            (String) a[11], (Long) a[12], (Long) a[13], (Long) a[14], (Long) a[15], (Long) a[16],
            (Long) a[17], (String) a[18]));
  }

  @Provide
  Arbitrary<Txpk> txpk() {
    return Builders.withBuilder(() -> new Object[16])
        .use(Arbitraries.integers().between(0, 2)).in((a, v) -> { a[0] = v; return a; })
        .use(Arbitraries.longs().between(0, 0xFFFF_FFFFL)).in((a, v) -> { a[1] = v; return a; })
        .use(frequencies()).in((a, v) -> { a[3] = v; return a; })
        .use(Arbitraries.integers().between(0, 255)).in((a, v) -> { a[4] = v; return a; })
        .use(maybe(Arbitraries.integers().between(-30, 40))).in((a, v) -> { a[5] = v; return a; })
        .use(Arbitraries.oneOf(loraDatr(), fskDatr())).in((a, v) -> { a[7] = v; return a; })
        .use(Arbitraries.of("4/5", "4/6", "4/8")).in((a, v) -> { a[8] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 200_000))).in((a, v) -> { a[9] = v; return a; })
        .use(Arbitraries.of(true, false)).in((a, v) -> { a[10] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 65_535))).in((a, v) -> { a[11] = v; return a; })
        .use(bytes(255)).in((a, v) -> { a[12] = v; return a; })
        .use(Arbitraries.of(true, false)).in((a, v) -> { a[13] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 255))).in((a, v) -> { a[14] = v; return a; })
        .use(maybe(Arbitraries.integers().between(0, 255))).in((a, v) -> { a[15] = v; return a; })
        .build(a -> {
          int timing = (Integer) a[0];
          long t = (Long) a[1];
          Datr datr = (Datr) a[7];
          boolean lora = datr instanceof Datr.LoRa;
          return new Txpk(timing == 0, timing == 1 ? t : null, timing == 2 ? t : null, (Long) a[3],
              (Integer) a[4], (Integer) a[5], lora ? Modulation.LORA : Modulation.FSK, datr,
              lora ? (String) a[8] : null, (Integer) a[9], (Boolean) a[10], (Integer) a[11],
              (Bytes) a[12], (Boolean) a[13], (Integer) a[14], (Integer) a[15]);
        });
  }

  private void assertSameBytes(SemtechPacket p) {
    byte[] expected = reference.encode(p);
    assertThat(codec.encode(p)).as(() -> new String(expected, StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  @Property(tries = 1_000)
  void pushDataAsTheTreeEncoder(@ForAll @net.jqwik.api.constraints.Size(max = 4) List<@From("rxpk") Rxpk> rxpk, @ForAll("stat") Stat stat,
      @ForAll boolean withStat, @ForAll long eui) {
    assertSameBytes(new PushData(2, 0x1234, new Eui64(eui), rxpk,
        withStat ? Optional.of(stat) : Optional.empty()));
  }

  @Property(tries = 1_000)
  void pullRespAsTheTreeEncoder(@ForAll("txpk") Txpk txpk) {
    assertSameBytes(new PullResp(2, 0xBEEF, txpk));
  }

  @Property(tries = 300)
  void txAckAsTheTreeEncoder(@ForAll("maybeText") String error, @ForAll("maybeText") String warn,
      @ForAll boolean withValue, @ForAll long eui) {
    Optional<TxpkAck> ack = error == null && warn == null && !withValue ? Optional.empty()
        : Optional.of(new TxpkAck(error, warn, withValue ? (int) (eui % 101) : null));
    assertSameBytes(new TxAck(2, 7, new Eui64(eui), ack));
  }

  @Provide
  Arbitrary<String> maybeText() {
    return maybe(text());
  }
}
