package dev.loralab.tests.reliability;

import static dev.loralab.tests.support.Events.device;
import static dev.loralab.tests.support.Events.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.loralab.gatewayserver.udp.Rxpk;
import dev.loralab.gatewayserver.udp.SemtechPacket;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.gatewayserver.udp.TxpkAck;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.tests.reliability.support.LogCapture;
import dev.loralab.tests.reliability.support.Metrics;
import dev.loralab.tests.support.EventStream;
import dev.loralab.tests.support.Radio;
import dev.loralab.tests.support.StackFixture;
import dev.loralab.tests.support.TestDevice;
import dev.loralab.tests.support.TestGateway;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, hostile input on the Semtech UDP port: random datagrams and mutated valid PUSH_DATA,
 * PULL_DATA and TX_ACK (bit flips, truncations, header bytes, JSON values of the wrong type,
 * huge numbers, invalid base64, deep nesting, oversized datagrams), from many loopback source
 * addresses so that the per-address rate limit lets them through to the codec. Afterwards the
 * gateway server still acknowledges a valid PUSH_DATA and forwards its uplink, no datagram made a
 * handler fail, and nothing was logged with an exception.
 */
class UdpFuzzTest {

  private static final String PLAN = "EU_863_870";
  /** Datagrams in all; bounded so the test takes seconds. */
  private static final int DATAGRAMS = 40_000;
  /** Per source address: below the gateway server's default burst (200), so few are rate limited. */
  private static final int PER_SOURCE = 100;

  private final SplittableRandom random = new SplittableRandom(0xF022L);
  private final SemtechUdpCodec codec = new SemtechUdpCodec();

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void hostileDatagramsAreDroppedAndValidTrafficStillFlows(@TempDir Path dir) throws Exception {
    try (StackFixture fx = StackFixture.start(dir); LogCapture log = LogCapture.start(Level.WARN)) {
      URI base = URI.create(fx.stack().httpUrl());
      String app = fx.createApplication();
      TestGateway gw = fx.createGateway(PLAN);
      TestDevice dev = fx.register(TestDevice.abp(app, fx.uniqueId("dev"), fx.newEui(0x70B3D57ED0000000L),
          MacVersion.V1_0_3, new DevAddr(0x260B0001), fx.newKey(), null, null, fx.newKey()), PLAN, null);
      EventStream events = fx.subscribe(List.of(gw.id()), List.of(app));
      Radio radio = Radio.eu868(0, 5);
      byte[] validPhy = dev.uplink(TestDevice.Uplink.data(1, (byte) 1, (byte) 2), radio);
      List<byte[]> templates = templates(gw.eui(), validPhy);

      long heapBefore = usedHeapAfterGc();
      int sent = 0;
      for (int source = 0; sent < DATAGRAMS; source++) {
        InetSocketAddress from = new InetSocketAddress("127.0." + (1 + source / 250) + "." + (1 + source % 250), 0);
        try (DatagramSocket s = new DatagramSocket(from)) {
          for (int i = 0; i < PER_SOURCE && sent < DATAGRAMS; i++, sent++) {
            byte[] d = mutate(templates.get(random.nextInt(templates.size())));
            s.send(new DatagramPacket(d, d.length, fx.udpAddress()));
            if (sent % 25 == 0) {
              Thread.sleep(1); // let the server keep up instead of overflowing the socket buffer
            }
          }
        }
      }

      Metrics after = awaitQuiet(fx, base);
      double handled = after.sum("loralab_gs_udp_datagrams_total")
          + after.sum("loralab_gs_udp_drops_total") - after.sum("loralab_gs_udp_drops_total", "reason=\"rate_limited\"");
      System.out.printf("udp fuzz: %d datagrams sent, %.0f counted by the handler (by type and by drop reason),"
          + " drops by reason:%n%s%n", sent, handled,
          after.text().lines().filter(l -> l.startsWith("loralab_gs_udp_drops_total")).toList());
      assertThat(handled).as("datagrams that reached the handler (not rate limited)").isGreaterThan(DATAGRAMS / 10.0);
      assertThat(after.sum("loralab_gs_udp_drops_total", "reason=\"handler_error\""))
          .as("datagrams that made a handler fail").isZero();

      // A valid PUSH_DATA is still acknowledged and its uplink (a fresh FCnt: the fuzz replayed the
      // template's) processed.
      gw.pullData();
      long fCnt = dev.fCntUp();
      byte[] fresh = dev.uplink(TestDevice.Uplink.data(1, (byte) 3), radio);
      String freshBase64 = java.util.Base64.getEncoder().encodeToString(fresh);
      gw.uplink(fresh, radio, -50, 9);
      events.expectEvent("gs.up.receive", "valid uplink after the fuzz", gateway(gw.id()).and(e ->
          e.path("data").path("message").path("raw_payload").asText("").equals(freshBase64)));
      events.expectEvent("ns.up.data.process", "valid uplink after the fuzz",
          device(dev.deviceId()).and(e -> RestartWithoutLossTest.fCnt(e) == fCnt));

      long heapAfter = usedHeapAfterGc();
      System.out.printf("udp fuzz: heap after GC %d -> %d MiB%n", heapBefore >> 20, heapAfter >> 20);
      assertThat(heapAfter - heapBefore).as("heap growth over %d hostile datagrams", sent).isLessThan(128L << 20);
      assertThat(log.withThrowable(Level.WARN)).as("log events with an exception")
          .extracting(LogCapture::describe).isEmpty();
      assertThat(log.events()).as("errors logged").filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
          .extracting(LogCapture::describe).isEmpty();
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      min = Math.min(min, java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return min;
  }

  /** Valid datagrams of every upstream type, for mutation. */
  private List<byte[]> templates(Eui64 gatewayEui, byte[] phy) {
    Rxpk rxpk = Rxpk.lora(123_456_789L, 868_100_000L, 7, 125_000, -50, 9, Bytes.of(phy));
    Eui64 other = new Eui64(random.nextLong());
    return List.of(
        codec.encode(new SemtechPacket.PushData(2, 1, gatewayEui, List.of(rxpk), Optional.empty())),
        codec.encode(new SemtechPacket.PushData(2, 2, other, List.of(rxpk, rxpk), Optional.empty())),
        codec.encode(new SemtechPacket.PushData(1, 3, gatewayEui, List.of(rxpk), Optional.empty())),
        codec.encode(new SemtechPacket.PullData(2, 4, gatewayEui)),
        codec.encode(new SemtechPacket.PullData(2, 5, other)),
        codec.encode(new SemtechPacket.TxAck(2, 6, gatewayEui, Optional.of(new TxpkAck("NONE", null, null)))),
        codec.encode(new SemtechPacket.TxAck(2, 7, gatewayEui, Optional.of(new TxpkAck("TOO_LATE", null, null)))),
        codec.encode(new SemtechPacket.TxAck(2, 8, gatewayEui, Optional.empty())));
  }

  private static final String[] HOSTILE_VALUES = {
      "\"x\"", "1e999", "-1e999", "-1", "0", "99999999999999999999999999999", "18446744073709551616", "null", "true",
      "[]", "{}", "\"!!not base64##\"", "\"QUJD=\"", "\"====\"", "\"\\u0000\"", "\"\\ud800\"", "NaN", "1.5e-400",
      "\"" + "A".repeat(4000) + "\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
      "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}}", "\"SF7BW125\"", "\"SF99BW1\"",
      "\"4/5\"", "\"LORA\"", "\"FSK\"", "2147483648", "-2147483649", "4294967296"};

  private static final String[] HOSTILE_BODIES = {
      "", "{", "}", "[]", "null", "{\"rxpk\":null}", "{\"rxpk\":[null]}", "{\"rxpk\":[{}]}", "{\"rxpk\":{}}",
      "{\"rxpk\":[" + "[".repeat(5000) + "]", "{\"stat\":[]}", "{\"txpk_ack\":\"NONE\"}", "{\"txpk_ack\":{\"error\":7}}",
      "{\"rxpk\":[{\"data\":\"" + "/".repeat(6000) + "\"}]}", "{\"rxpk\":[],\"rxpk\":[]}", "\uFEFF{}",
      "{\"rxpk\":[{\"tmst\":1,\"freq\":868.1,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/5\","
          + "\"rssi\":-50,\"lsnr\":9,\"size\":3,\"data\":\"AAAA\"}]}"};

  private byte[] mutate(byte[] valid) {
    int kind = random.nextInt(8);
    switch (kind) {
      case 0 -> { // random bytes
        byte[] b = new byte[random.nextInt(random.nextInt(10) == 0 ? 3000 : 40)];
        random.nextBytes(b);
        return b;
      }
      case 1 -> { // bit flips
        byte[] b = valid.clone();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
          int bit = random.nextInt(b.length * 8);
          b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return b;
      }
      case 2 -> { // truncation
        return Arrays.copyOf(valid, random.nextInt(valid.length));
      }
      case 3 -> { // header bytes: version, token, type
        byte[] b = valid.clone();
        b[random.nextInt(Math.min(4, b.length))] = (byte) random.nextInt(256);
        return b;
      }
      case 4, 5 -> { // one JSON value replaced by one of another type or an absurd one
        return withJson(valid, replaceValue(json(valid), HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)]));
      }
      case 6 -> { // hostile body
        return withJson(valid, HOSTILE_BODIES[random.nextInt(HOSTILE_BODIES.length)]);
      }
      default -> { // oversized, or padded with garbage after the JSON
        if (random.nextInt(4) == 0) {
          byte[] b = Arrays.copyOf(valid, 17_000 + random.nextInt(30_000));
          Arrays.fill(b, valid.length, b.length, (byte) ' ');
          return b;
        }
        return withJson(valid, json(valid) + "}\u0000garbage");
      }
    }
  }

  private static String json(byte[] datagram) {
    int header = jsonOffset(datagram);
    return header < 0 || datagram.length <= header ? "{}"
        : new String(datagram, header, datagram.length - header, StandardCharsets.UTF_8);
  }

  private static byte[] withJson(byte[] datagram, String json) {
    int header = Math.max(jsonOffset(datagram), 0);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] b = Arrays.copyOf(datagram, Math.min(header, datagram.length) + body.length);
    System.arraycopy(body, 0, b, Math.min(header, datagram.length), body.length);
    return b;
  }

  /** PUSH_DATA and TX_ACK: 4-byte header and the gateway EUI, then JSON; PULL_DATA has none. */
  private static int jsonOffset(byte[] datagram) {
    return datagram.length > 3 && (datagram[3] == 0 || datagram[3] == 5) ? 12 : -1;
  }

  /** Replaces the value after a random {@code "key":} with {@code value}. */
  private String replaceValue(String json, String value) {
    int colons = 0;
    for (int i = 0; i < json.length(); i++) {
      if (json.charAt(i) == ':') {
        colons++;
      }
    }
    if (colons == 0) {
      return value;
    }
    int target = random.nextInt(colons);
    int at = -1;
    for (int i = 0, seen = 0; i < json.length(); i++) {
      if (json.charAt(i) == ':' && seen++ == target) {
        at = i;
        break;
      }
    }
    int end = at + 1;
    int depth = 0;
    boolean inString = false;
    for (; end < json.length(); end++) {
      char c = json.charAt(end);
      if (inString) {
        if (c == '\\') {
          end++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']' || c == ',') {
        if (depth == 0) {
          break;
        }
        if (c != ',') {
          depth--;
        }
      }
    }
    return json.substring(0, at + 1) + value + json.substring(Math.min(end, json.length()));
  }

  /** Scrapes until the gateway server's datagram counters stop moving (bounded). */
  private static Metrics awaitQuiet(StackFixture fx, URI base) throws InterruptedException {
    Metrics last = Metrics.scrape(fx.httpClient(), base);
    for (int i = 0; i < 120; i++) {
      Thread.sleep(500);
      Metrics now = Metrics.scrape(fx.httpClient(), base);
      if (now.sum("loralab_gs_udp_datagrams_total") == last.sum("loralab_gs_udp_datagrams_total")
          && now.sum("loralab_gs_udp_drops_total") == last.sum("loralab_gs_udp_drops_total")) {
        return now;
      }
      last = now;
    }
    return last;
  }
}
