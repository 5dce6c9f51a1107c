package dev.loralab.networkserver;

import static dev.loralab.networkserver.DataPathTest.abp10;
import static dev.loralab.networkserver.DataPathTest.statusKnown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.frame.DataFrame;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The deduplication window as the Network Server uses it: closed early once the gateways that
 * heard the DevAddr's previous uplink are in, the full window otherwise, late copies absorbed,
 * uplinks of one DevAddr processed in order, and the store touched once per plain uplink. Time
 * is virtual (the windows close when the test advances it), so nothing depends on how fast the
 * machine is.
 */
class DeduplicationFlowTest {

  static final NetworkServerConfig CONFIG = NetworkServerConfig.defaults()
      .withDeduplication(Duration.ofMillis(100), Duration.ofSeconds(30));

  static void send(Harness h, byte[] raw, String gateway, String id) throws Exception {
    h.ns.handleUplink(TestDevice.copy(raw, gateway, 5, -60, id)).get();
  }

  static byte[] uplink(TestDevice d, long fCnt, boolean confirmed) {
    return d.uplink(fCnt, confirmed, 1, new byte[] {(byte) fCnt}, null, false, false);
  }

  static long processed(Harness h) {
    return h.bus.count("ns.up.data.process");
  }

  /** The FCnts of the uplinks forwarded to the Application Server, in order. */
  static List<Integer> forwardedFCnts(Harness h) {
    return h.as.ups.stream().filter(ApplicationUp::hasUplinkMessage)
        .map(u -> u.getUplinkMessage().getFCnt()).toList();
  }

  /** Uplink 1 heard by gw1 and gw2, processed after its full window: two gateways expected. */
  static TestDevice deviceHeardByTwoGateways(Harness h, String addr) throws Exception {
    TestDevice d = abp10(h, addr);
    statusKnown(h, d);
    byte[] first = uplink(d, 1, false);
    send(h, first, "gw1", "A");
    send(h, first, "gw2", "B");
    h.runDue();
    // the first uplink of a DevAddr has nothing to go by: it waits the full window
    assertThat(processed(h)).isZero();
    h.closeDeduplicationWindows();
    assertThat(processed(h)).isEqualTo(1);
    return d;
  }

  @Test
  void aWindowClosesOnceItsGatewaysAreInAndALateCopyIsAbsorbedWithoutASecondAck()
      throws Exception {
    try (Harness h = Harness.withVirtualTime(CONFIG, UnaryOperator.identity())) {
      TestDevice d = deviceHeardByTwoGateways(h, "26011C10");
      byte[] confirmed = uplink(d, 2, true);
      send(h, confirmed, "gw2", "C");
      h.runDue();
      assertThat(processed(h)).isEqualTo(1);
      send(h, confirmed, "gw1", "D");
      h.runDue();
      // closed by the second gateway's copy, with no time passing
      assertThat(processed(h)).isEqualTo(2);
      UplinkMessage up = h.bus.named("ns.up.data.process").get(1).dataAs(UplinkMessage.class);
      assertThat(up.getRxMetadataCount()).isEqualTo(2);
      assertThat(h.gs.scheduled).hasSize(1);
      DataFrame ack = d.downlink(h.gs.scheduled.get(0).getRawPayload().toByteArray(),
          h.gs.scheduled.get(0).getPayload().getMacPayload().getFullFCnt(), 2);
      assertThat(ack.fHdr().fCtrl().ack()).isTrue();

      // a third gateway after the early close: a late duplicate, neither processed nor acked
      send(h, confirmed, "gw3", "E");
      h.closeDeduplicationWindows();
      assertThat(h.ns.lateDuplicates()).isEqualTo(1);
      assertThat(processed(h)).isEqualTo(2);
      assertThat(h.bus.count("ns.up.data.receive")).isEqualTo(2);
      assertThat(h.gs.scheduled).hasSize(1);
      assertThat(forwardedFCnts(h)).containsExactly(1, 2);

      // the third gateway counts from now on: two copies no longer close the window
      byte[] third = uplink(d, 3, false);
      send(h, third, "gw1", "F");
      send(h, third, "gw2", "G");
      h.runDue();
      assertThat(processed(h)).isEqualTo(2);
      send(h, third, "gw3", "H");
      h.runDue();
      assertThat(processed(h)).isEqualTo(3);
    }
  }

  @Test
  void anUplinkHeardByFewerGatewaysWaitsTheFullWindowAndLowersTheExpectation()
      throws Exception {
    try (Harness h = Harness.withVirtualTime(CONFIG, UnaryOperator.identity())) {
      TestDevice d = deviceHeardByTwoGateways(h, "26011C11");
      send(h, uplink(d, 2, false), "gw1", "C");
      h.runDue();
      assertThat(processed(h)).isEqualTo(1);
      h.closeDeduplicationWindows();
      assertThat(processed(h)).isEqualTo(2);
      // one gateway heard the last uplink: one copy is enough now
      send(h, uplink(d, 3, false), "gw1", "D");
      h.runDue();
      assertThat(processed(h)).isEqualTo(3);
      assertThat(forwardedFCnts(h)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void withoutEarlyCloseEveryUplinkWaitsTheFullWindow() throws Exception {
    NetworkServerConfig config = CONFIG.withDeduplicationEarlyClose(false);
    try (Harness h = Harness.withVirtualTime(config, UnaryOperator.identity())) {
      TestDevice d = abp10(h, "26011C12");
      statusKnown(h, d);
      for (int fCnt = 1; fCnt <= 3; fCnt++) {
        send(h, uplink(d, fCnt, false), "gw1", "U" + fCnt);
        h.runDue();
        assertThat(processed(h)).isEqualTo(fCnt - 1);
        h.timers.advance(config.deduplicationWindow().minusNanos(1));
        assertThat(processed(h)).isEqualTo(fCnt - 1);
        h.timers.advance(Duration.ofNanos(1));
        assertThat(processed(h)).isEqualTo(fCnt);
      }
      assertThat(forwardedFCnts(h)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void aWindowThatClosesEarlyWaitsForTheOlderWindowOfItsDevAddr() throws Exception {
    try (Harness h = Harness.withVirtualTime(CONFIG, UnaryOperator.identity())) {
      TestDevice d = deviceHeardByTwoGateways(h, "26011C13");
      // uplink 2: one gateway of the two expected, its window stays open
      send(h, uplink(d, 2, false), "gw1", "C");
      // uplink 3: both gateways, its window is complete before uplink 2's
      byte[] third = uplink(d, 3, false);
      send(h, third, "gw1", "D");
      send(h, third, "gw2", "E");
      h.runDue();
      // processed first, uplink 2 would be dropped as "FCnt too low": it waits
      assertThat(processed(h)).isEqualTo(1);
      h.closeDeduplicationWindows();
      assertThat(processed(h)).isEqualTo(3);
      assertThat(h.bus.count("ns.up.data.drop")).isZero();
      assertThat(forwardedFCnts(h)).containsExactly(1, 2, 3);
      assertThat(h.device(d).getSession().getLastFCntUp()).isEqualTo(3);
    }
  }

  @Test
  void aSlowDeviceLookupDoesNotLetTheNextUplinkOvertakeIt() throws Exception {
    CountDownLatch lookupStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    UnaryOperator<NetworkServerStore> slowFirstLookup = s -> new ForwardingStore(s) {
      @Override
      public List<EndDevice> byDevAddr(DevAddr devAddr) {
        if (first.compareAndSet(true, false)) {
          lookupStarted.countDown();
          awaitQuietly(release);
        }
        return super.byDevAddr(devAddr);
      }
    };
    // real device workers, virtual timers: the two windows close on two threads
    try (Harness h = Harness.withManualTimers(CONFIG, slowFirstLookup)) {
      TestDevice d = abp10(h, "26011C14");
      statusKnown(h, d);
      send(h, uplink(d, 1, false), "gw1", "A");
      h.timers.advance(Duration.ofMillis(10));
      send(h, uplink(d, 2, false), "gw1", "B");
      // uplink 1's window closes on another thread; its device lookup hangs
      Thread closer = new Thread(() -> h.timers.advance(Duration.ofMillis(90)), "closer");
      closer.start();
      assertThat(lookupStarted.await(60, TimeUnit.SECONDS)).isTrue();
      // uplink 2's window closes on this thread meanwhile
      h.timers.advance(Duration.ofMillis(10));
      release.countDown();
      closer.join(TimeUnit.SECONDS.toMillis(60));
      Fakes.await("both uplinks handled",
          () -> processed(h) + h.bus.count("ns.up.data.drop") >= 2);
      Fakes.await("both forwarded", () -> forwardedFCnts(h).size() >= 2);
      assertThat(h.bus.count("ns.up.data.drop")).isZero();
      assertThat(forwardedFCnts(h)).containsExactly(1, 2);
      assertThat(h.device(d).getSession().getLastFCntUp()).isEqualTo(2);
    }
  }

  @Test
  void aPlainUplinkReadsTheDeviceOnceAndWritesItOnce() throws Exception {
    CountingStore[] counting = new CountingStore[1];
    UnaryOperator<NetworkServerStore> count = s -> counting[0] = new CountingStore(s);
    try (Harness h = Harness.withVirtualTime(CONFIG, count)) {
      TestDevice d = abp10(h, "26011C15");
      statusKnown(h, d);
      send(h, uplink(d, 1, false), "gw1", "A");
      h.closeDeduplicationWindows();
      assertThat(processed(h)).isEqualTo(1);

      CountingStore c = counting[0];
      c.reset();
      send(h, uplink(d, 2, false), "gw1", "B");
      h.runDue();
      assertThat(processed(h)).isEqualTo(2);
      assertThat(h.gs.scheduled).isEmpty();
      // the DevAddr lookup, then one read-modify-write; no get, nothing for the downlink
      assertThat(c.byDevAddr.get()).isEqualTo(1);
      assertThat(c.get.get()).isZero();
      assertThat(c.update.get()).isEqualTo(1);

      // a confirmed uplink: one more write, for the ACK's frame counter, still no get
      c.reset();
      send(h, uplink(d, 3, true), "gw1", "C");
      h.runDue();
      assertThat(h.gs.scheduled).hasSize(1);
      assertThat(c.byDevAddr.get()).isEqualTo(1);
      assertThat(c.get.get()).isZero();
      assertThat(c.update.get()).isEqualTo(2);
      assertThat(forwardedFCnts(h)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void earlyCloseIsOnByDefaultAndItsMemoryIsBounded() {
    NetworkServerConfig d = NetworkServerConfig.defaults();
    assertThat(d.deduplicationEarlyClose()).isTrue();
    assertThat(d.deduplicationEarlyCloseDevAddrs()).isEqualTo(1 << 20);
    assertThat(d.withDeduplicationEarlyClose(false).deduplicationEarlyClose()).isFalse();
    assertThat(d.withDeduplicationEarlyCloseDevAddrs(5).deduplicationEarlyCloseDevAddrs())
        .isEqualTo(5);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> d.withDeduplicationEarlyCloseDevAddrs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deduplicationEarlyCloseDevAddrs");
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A store that forwards every call to another. */
  static class ForwardingStore implements NetworkServerStore {
    private final NetworkServerStore store;

    ForwardingStore(NetworkServerStore store) {
      this.store = store;
    }

    @Override
    public List<EndDevice> byDevAddr(DevAddr devAddr) {
      return store.byDevAddr(devAddr);
    }

    @Override
    public Optional<EndDevice> byEuis(Eui64 joinEui, Eui64 devEui) {
      return store.byEuis(joinEui, devEui);
    }

    @Override
    public Optional<EndDevice> get(EndDeviceIdentifiers ids) {
      return store.get(ids);
    }

    @Override
    public EndDevice update(EndDeviceIdentifiers ids, UnaryOperator<EndDevice> change,
        boolean durable) {
      return store.update(ids, change, durable);
    }
  }

  /** Counts the calls of each kind. */
  static final class CountingStore extends ForwardingStore {
    final AtomicInteger byDevAddr = new AtomicInteger();
    final AtomicInteger get = new AtomicInteger();
    final AtomicInteger update = new AtomicInteger();

    CountingStore(NetworkServerStore store) {
      super(store);
    }

    void reset() {
      byDevAddr.set(0);
      get.set(0);
      update.set(0);
    }

    @Override
    public List<EndDevice> byDevAddr(DevAddr devAddr) {
      byDevAddr.incrementAndGet();
      return super.byDevAddr(devAddr);
    }

    @Override
    public Optional<EndDevice> get(EndDeviceIdentifiers ids) {
      get.incrementAndGet();
      return super.get(ids);
    }

    @Override
    public EndDevice update(EndDeviceIdentifiers ids, UnaryOperator<EndDevice> change,
        boolean durable) {
      update.incrementAndGet();
      return super.update(ids, change, durable);
    }
  }
}
