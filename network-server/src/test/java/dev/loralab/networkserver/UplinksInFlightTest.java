package dev.loralab.networkserver;

import static dev.loralab.networkserver.DataPathTest.abp10;
import static dev.loralab.networkserver.DataPathTest.statusKnown;
import static dev.loralab.networkserver.DeduplicationFlowTest.CONFIG;
import static dev.loralab.networkserver.DeduplicationFlowTest.forwardedFCnts;
import static dev.loralab.networkserver.DeduplicationFlowTest.processed;
import static dev.loralab.networkserver.DeduplicationFlowTest.uplink;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.networkserver.AsyncDeviceWriteTest.HoldingStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The bound of data uplinks in flight ({@link NetworkServerConfig#maxUplinksInFlight}): every
 * way an uplink's processing can end gives its place back (the gauge {@code ns_uplinks_in_flight}
 * returns to 0), an uplink beyond the bound is dropped as overloaded without touching the store,
 * and uplinks are accepted again once those in flight completed. Device work and timers run on
 * virtual time, held writes complete on a committer thread of their own: nothing depends on
 * timing.
 */
class UplinksInFlightTest {

  /** How an uplink's processing ends. */
  enum Outcome {
    STORED,
    STORED_AND_ACKNOWLEDGED,
    UNKNOWN_DEV_ADDR,
    MIC_MISMATCH,
    F_CNT_TOO_LOW,
    RETRANSMISSION,
    FAILED_WRITE,
    DEVICE_GONE_WHILE_WRITING,
    LOOKUP_THROWS,
    WRITE_THROWS,
    EXECUTOR_REJECTS_LOOKUP,
    EXECUTOR_REJECTS_RESUMPTION
  }

  /** A store view that fails lookups or writes on demand, in front of the holding store. */
  static final class FailingStore extends DeduplicationFlowTest.ForwardingStore {
    private final HoldingStore holding;
    volatile boolean failLookups;
    volatile boolean failWrites;

    FailingStore(HoldingStore holding) {
      super(holding);
      this.holding = holding;
    }

    @Override
    public List<EndDevice> byDevAddr(DevAddr devAddr) {
      if (failLookups) {
        throw ApiException.unavailable("store unavailable");
      }
      return super.byDevAddr(devAddr);
    }

    @Override
    public CompletableFuture<EndDevice> updateAsync(EndDeviceIdentifiers ids,
        UnaryOperator<EndDevice> change, boolean durable) {
      if (failWrites) {
        throw new IllegalStateException("a bug in the store");
      }
      return holding.updateAsync(ids, change, durable);
    }
  }

  /** The device executor, refusing work on demand (as one shutting down). */
  static final class RefusingExecutor implements Executor {
    private final Executor delegate;
    volatile boolean refuse;

    RefusingExecutor(Executor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable r) {
      if (refuse) {
        throw new RejectedExecutionException("shut down");
      }
      delegate.execute(r);
    }
  }

  /** A Network Server on virtual time with a holding, failing store and a refusing executor. */
  static final class Setup implements AutoCloseable {
    final ExecutorService committer = Executors.newSingleThreadExecutor();
    HoldingStore holding;
    FailingStore failing;
    RefusingExecutor executor;
    final Harness h;
    int devices;

    Setup(NetworkServerConfig config) {
      h = Harness.withVirtualTime(config, s -> failing = new FailingStore(
          holding = new HoldingStore(s)), e -> executor = new RefusingExecutor(e));
    }

    TestDevice newDevice() {
      devices++;
      TestDevice d = abp10(h, String.format("260200%02X", devices));
      statusKnown(h, d);
      return d;
    }

    void send(byte[] raw, String id) throws Exception {
      h.ns.handleUplink(TestDevice.copy(raw, "gw1", 5, -60, id)).get();
      h.closeDeduplicationWindows();
    }

    void completeOldest() throws Exception {
      CompletableFuture.runAsync(holding::completeOldest, committer).get(60, TimeUnit.SECONDS);
      h.runDue();
    }

    void failOldest(RuntimeException error) throws Exception {
      CompletableFuture.runAsync(() -> holding.failOldest(error), committer)
          .get(60, TimeUnit.SECONDS);
      h.runDue();
    }

    /** Completes every held write (and those they lead to) and runs what is due. */
    void settle() throws Exception {
      h.runDue();
      for (int i = 0; i < 20 && !holding.held.isEmpty(); i++) {
        completeOldest();
      }
      assertThat(holding.held).isEmpty();
    }

    double dropped(String reason) {
      return h.dropped(reason);
    }

    double gauge() {
      return h.registry.get("ns_uplinks_in_flight").gauge().value();
    }

    long inFlight() {
      assertThat(gauge()).isEqualTo(h.ns.uplinksInFlight());
      return h.ns.uplinksInFlight();
    }

    /** Drives one uplink to {@code outcome} and checks that it ended that way. */
    void drive(Outcome outcome) throws Exception {
      TestDevice d = newDevice();
      String id = outcome + "-" + devices;
      switch (outcome) {
        case STORED -> {
          long before = processed(h);
          send(uplink(d, 1, false), id);
          assertThat(inFlight()).isEqualTo(1);
          settle();
          assertThat(processed(h)).isEqualTo(before + 1);
        }
        case STORED_AND_ACKNOWLEDGED -> {
          int scheduled = h.gs.scheduled.size();
          send(uplink(d, 1, true), id);
          completeOldest();
          // the ACK's frame counter write is held: the uplink is still in flight
          assertThat(holding.held).hasSize(1);
          assertThat(inFlight()).isEqualTo(1);
          settle();
          assertThat(h.gs.scheduled).hasSize(scheduled + 1);
        }
        case UNKNOWN_DEV_ADDR -> {
          double before = dropped("unknown_dev_addr");
          TestDevice unknown = new TestDevice("unknown-" + devices, "0000000000000A01", false);
          unknown.abp(String.format("260300%02X", devices), DataPathTest.NWK, DataPathTest.NWK,
              DataPathTest.NWK, DataPathTest.APP);
          send(uplink(unknown, 1, false), id);
          settle();
          assertThat(dropped("unknown_dev_addr")).isEqualTo(before + 1);
        }
        case MIC_MISMATCH -> {
          double before = dropped("mic_mismatch");
          byte[] raw = uplink(d, 1, false);
          raw[raw.length - 1] ^= 0x01; // one bit of the MIC
          send(raw, id);
          settle();
          assertThat(dropped("mic_mismatch")).isEqualTo(before + 1);
        }
        case F_CNT_TOO_LOW -> {
          send(uplink(d, 5, false), id + "a");
          settle();
          double before = dropped("f_cnt_too_low");
          send(uplink(d, 3, false), id + "b");
          settle();
          assertThat(dropped("f_cnt_too_low")).isEqualTo(before + 1);
        }
        case RETRANSMISSION -> {
          byte[] raw = uplink(d, 4, true);
          send(raw, id + "a");
          settle();
          h.timers.advance(h.ns.config().cooldownWindow().plusSeconds(1));
          double before = dropped("retransmission");
          int scheduled = h.gs.scheduled.size();
          send(raw, id + "b");
          // the ACK's write is held: acknowledging is part of the uplink's processing
          assertThat(inFlight()).isEqualTo(1);
          settle();
          assertThat(dropped("retransmission")).isEqualTo(before + 1);
          assertThat(h.gs.scheduled).hasSize(scheduled + 1);
        }
        case FAILED_WRITE -> {
          double before = dropped("processing");
          send(uplink(d, 1, false), id);
          assertThat(inFlight()).isEqualTo(1);
          failOldest(ApiException.unavailable("disk gone"));
          settle();
          assertThat(dropped("processing")).isEqualTo(before + 1);
        }
        case DEVICE_GONE_WHILE_WRITING -> {
          long before = processed(h);
          send(uplink(d, 1, false), id);
          failOldest(ApiException.notFound("device"));
          settle();
          assertThat(processed(h)).isEqualTo(before);
        }
        case LOOKUP_THROWS -> {
          double before = dropped("processing");
          failing.failLookups = true;
          try {
            send(uplink(d, 1, false), id);
            h.runDue();
          } finally {
            failing.failLookups = false;
          }
          settle();
          assertThat(dropped("processing")).isEqualTo(before + 1);
        }
        case WRITE_THROWS -> {
          double before = dropped("internal");
          failing.failWrites = true;
          try {
            send(uplink(d, 1, false), id);
            h.runDue();
          } finally {
            failing.failWrites = false;
          }
          settle();
          assertThat(dropped("internal")).isEqualTo(before + 1);
        }
        case EXECUTOR_REJECTS_LOOKUP -> {
          long before = processed(h);
          executor.refuse = true;
          try {
            // the first uplink of a DevAddr closes on its timer: handed to the executor
            send(uplink(d, 1, false), id);
            h.runDue();
          } finally {
            executor.refuse = false;
          }
          settle();
          assertThat(processed(h)).isEqualTo(before);
          assertThat(h.device(d).getSession().getLastFCntUp()).isZero();
        }
        case EXECUTOR_REJECTS_RESUMPTION -> {
          long before = processed(h);
          send(uplink(d, 1, false), id);
          assertThat(holding.held).hasSize(1);
          executor.refuse = true;
          try {
            // the write completes, but the lane's resumption is refused
            completeOldest();
          } finally {
            executor.refuse = false;
          }
          settle();
          assertThat(processed(h)).isEqualTo(before);
        }
        default -> throw new AssertionError(outcome);
      }
      assertThat(inFlight()).as("in flight after %s", outcome).isZero();
    }

    @Override
    public void close() throws InterruptedException {
      h.close();
      committer.shutdownNow();
      committer.awaitTermination(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyOutcomeGivesTheUplinksPlaceBack() throws Exception {
    try (Setup s = new Setup(CONFIG)) {
      assertThat(s.inFlight()).isZero();
      for (Outcome o : Outcome.values()) {
        s.drive(o);
      }
      assertThat(s.dropped("overloaded")).isZero();
    }
  }

  @Property(tries = 30)
  void anySequenceOfOutcomesLeavesNothingInFlight(@ForAll @Size(max = 10) List<Outcome> outcomes)
      throws Exception {
    try (Setup s = new Setup(CONFIG.withMaxUplinksInFlight(1))) {
      for (Outcome o : outcomes) {
        s.drive(o);
      }
      assertThat(s.inFlight()).isZero();
      // with a bound of one, an uplink left in flight would shed the next: none was shed
      assertThat(s.dropped("overloaded")).isZero();
    }
  }

  @Test
  void beyondTheBoundAnUplinkIsDroppedAsOverloadedAndNothingIsWritten() throws Exception {
    try (Setup s = new Setup(CONFIG.withMaxUplinksInFlight(2))) {
      Harness h = s.h;
      TestDevice d1 = s.newDevice();
      TestDevice d2 = s.newDevice();
      TestDevice d3 = s.newDevice();
      s.send(uplink(d1, 1, false), "A");
      s.send(uplink(d2, 1, false), "B");
      assertThat(s.holding.held).hasSize(2);
      assertThat(s.inFlight()).isEqualTo(2);
      int updates = h.store.updates().size();

      s.send(uplink(d3, 1, false), "C");
      h.runDue();
      assertThat(s.dropped("overloaded")).isEqualTo(1);
      assertThat(s.inFlight()).isEqualTo(2);
      assertThat(s.holding.held).hasSize(2)
          .noneMatch(held -> held.ids().equals(d3.ids));
      assertThat(h.store.updates()).hasSize(updates);
      assertThat(h.device(d3).getSession().getLastFCntUp()).isZero();
      assertThat(h.bus.count("ns.up.data.drop")).isZero();
      assertThat(processed(h)).isZero();

      // the uplinks in flight complete: new uplinks are accepted again
      s.settle();
      assertThat(s.inFlight()).isZero();
      assertThat(processed(h)).isEqualTo(2);
      s.send(uplink(d3, 2, false), "D");
      assertThat(s.holding.held).hasSize(1);
      assertThat(s.inFlight()).isEqualTo(1);
      s.settle();
      assertThat(s.inFlight()).isZero();
      assertThat(processed(h)).isEqualTo(3);
      assertThat(h.as.ups.stream().filter(ApplicationUp::hasUplinkMessage)
          .filter(u -> u.getEndDeviceIds().getDeviceId().equals(d3.ids.getDeviceId()))
          .map(u -> u.getUplinkMessage().getFCnt())).containsExactly(2);
      assertThat(forwardedFCnts(h)).hasSize(3);
      assertThat(s.dropped("overloaded")).isEqualTo(1);
    }
  }

  @Test
  void theBoundIsConfigurationWithADefaultFarAboveNormalLoad() {
    assertThat(NetworkServerConfig.defaults().maxUplinksInFlight()).isEqualTo(8192);
    assertThat(NetworkServerConfig.defaults().withMaxUplinksInFlight(7).maxUplinksInFlight())
        .isEqualTo(7);
    for (int invalid : Arrays.asList(0, -1)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> NetworkServerConfig.defaults().withMaxUplinksInFlight(invalid))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxUplinksInFlight");
    }
    // the other settings keep the bound
    assertThat(NetworkServerConfig.defaults().withMaxUplinksInFlight(7)
        .withInlineEarlyClosedUplinks(false).withDeduplicationCooldownBatch(Duration.ZERO)
        .maxUplinksInFlight()).isEqualTo(7);
  }
}
