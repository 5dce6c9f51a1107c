package dev.loralab.networkserver;

import static dev.loralab.networkserver.DataPathTest.abp10;
import static dev.loralab.networkserver.DataPathTest.statusKnown;
import static dev.loralab.networkserver.DeduplicationFlowTest.CONFIG;
import static dev.loralab.networkserver.DeduplicationFlowTest.forwardedFCnts;
import static dev.loralab.networkserver.DeduplicationFlowTest.processed;
import static dev.loralab.networkserver.DeduplicationFlowTest.uplink;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.ApiException;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.lorawan.Eui64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store whose durable writes complete later, on another thread (as a store's group committer
 * completes them): the device's lane waits for the write without a thread, nothing is forwarded
 * or answered before it completed, uplinks of a device stay in order, and a failed write drops
 * its uplink while the lane goes on. Device work runs on virtual time: what did not happen after
 * {@code runDue} has not happened yet.
 */
class AsyncDeviceWriteTest {

  /** The store's committer: completes held writes, off the test thread. */
  private final ExecutorService committer = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopCommitter() throws InterruptedException {
    committer.shutdownNow();
    committer.awaitTermination(60, TimeUnit.SECONDS);
  }

  /**
   * Applies {@code updateAsync}'s change at once but stores it only when the test completes the
   * write; counts updates of a device submitted while one of its writes is still held.
   */
  static final class HoldingStore extends DeduplicationFlowTest.ForwardingStore {
    record Held(EndDeviceIdentifiers ids, EndDevice value, CompletableFuture<EndDevice> future) {}

    final List<Held> held = new CopyOnWriteArrayList<>();
    final AtomicInteger overlapping = new AtomicInteger();

    HoldingStore(NetworkServerStore store) {
      super(store);
    }

    @Override
    public CompletableFuture<EndDevice> updateAsync(EndDeviceIdentifiers ids,
        UnaryOperator<EndDevice> change, boolean durable) {
      if (held.stream().anyMatch(h -> h.ids().equals(ids))) {
        overlapping.incrementAndGet();
      }
      EndDevice current = get(ids).orElse(null);
      if (current == null) {
        return CompletableFuture.failedFuture(ApiException.notFound("device " + ids));
      }
      EndDevice next;
      try {
        next = change.apply(current);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      Held h = new Held(ids, next, new CompletableFuture<>());
      held.add(h);
      return h.future();
    }

    /** Stores the oldest held write and completes it. */
    void completeOldest() {
      Held h = held.remove(0);
      update(h.ids(), cur -> h.value(), true);
      h.future().complete(h.value());
    }

    /** Fails the oldest held write; nothing is stored. */
    void failOldest(RuntimeException error) {
      held.remove(0).future().completeExceptionally(error);
    }
  }

  private HoldingStore holding;

  private Harness harness() {
    return Harness.withVirtualTime(CONFIG, s -> holding = new HoldingStore(s));
  }

  private void onCommitter(Runnable r) {
    CompletableFuture.runAsync(r, committer).join();
  }

  private static void send(Harness h, byte[] raw, String id) throws Exception {
    h.ns.handleUplink(TestDevice.copy(raw, "gw1", 5, -60, id)).get();
    h.closeDeduplicationWindows();
  }

  @Test
  void twoUplinksOfADeviceStayInOrderAndTheSecondWaitsForTheFirstsWrite() throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011E01");
      statusKnown(h, d);
      send(h, uplink(d, 1, false), "A");
      assertThat(holding.held).hasSize(1);
      send(h, uplink(d, 2, false), "B");
      // the second uplink waits in the device's lane: no second write while the first is held
      assertThat(holding.held).hasSize(1);
      assertThat(processed(h)).isZero();

      onCommitter(holding::completeOldest);
      // completion only hands the lane back to the device executor
      assertThat(processed(h)).isZero();
      h.runDue();
      assertThat(processed(h)).isEqualTo(1);
      assertThat(forwardedFCnts(h)).containsExactly(1);
      assertThat(holding.held).hasSize(1);

      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(processed(h)).isEqualTo(2);
      assertThat(forwardedFCnts(h)).containsExactly(1, 2);
      assertThat(holding.overlapping.get()).isZero();
      assertThat(h.device(d).getSession().getLastFCntUp()).isEqualTo(2);
      assertThat(h.bus.count("ns.up.data.drop")).isZero();
    }
  }

  @Test
  void nothingIsForwardedOrAnsweredBeforeTheWriteCompleted() throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011E02");
      statusKnown(h, d);
      send(h, uplink(d, 1, true), "A");
      h.runDue();
      assertThat(holding.held).hasSize(1);
      assertThat(h.as.ups).isEmpty();
      assertThat(h.gs.scheduled).isEmpty();
      assertThat(h.bus.count("ns.up.data.receive")).isZero();
      assertThat(h.bus.count("ns.up.data.process")).isZero();
      assertThat(h.bus.count("ns.up.data.forward")).isZero();

      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(h.bus.count("ns.up.data.receive")).isEqualTo(1);
      assertThat(h.bus.count("ns.up.data.forward")).isEqualTo(1);
      assertThat(forwardedFCnts(h)).containsExactly(1);
      // the confirmed uplink's ACK, built from the stored device, waits for its FCntDown write
      assertThat(holding.held).hasSize(1);
      assertThat(h.gs.scheduled).isEmpty();
      assertThat(h.bus.count("ns.down.data.schedule.attempt")).isZero();

      onCommitter(holding::completeOldest);
      assertThat(h.gs.scheduled).isEmpty();
      h.runDue();
      assertThat(h.gs.scheduled).hasSize(1);
      assertThat(h.gs.scheduled.get(0).getPayload().getMacPayload().getFHdr().getFCtrl()
          .getAck()).isTrue();
    }
  }

  @Test
  void aFailedWriteDropsItsUplinkAndTheLaneGoesOn() throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011E03");
      statusKnown(h, d);
      send(h, uplink(d, 1, false), "A");
      send(h, uplink(d, 2, false), "B");
      send(h, uplink(d, 3, false), "C");
      assertThat(holding.held).hasSize(1);

      onCommitter(() -> holding.failOldest(ApiException.unavailable("disk gone")));
      h.runDue();
      assertThat(h.dropped("processing")).isEqualTo(1);
      assertThat(processed(h)).isZero();
      assertThat(h.as.ups).isEmpty();
      assertThat(h.device(d).getSession().getLastFCntUp()).isZero();
      // the next uplink of the device is processed: its write is held now
      assertThat(holding.held).hasSize(1);

      onCommitter(() -> holding.failOldest(new IllegalStateException("a bug in the store")));
      h.runDue();
      assertThat(h.dropped("internal")).isEqualTo(1);
      assertThat(processed(h)).isZero();
      assertThat(holding.held).hasSize(1);

      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(processed(h)).isEqualTo(1);
      assertThat(forwardedFCnts(h)).containsExactly(3);
      assertThat(h.device(d).getSession().getLastFCntUp()).isEqualTo(3);
      assertThat(holding.held).isEmpty();
      assertThat(holding.overlapping.get()).isZero();
    }
  }

  @Test
  void aWriteThatFindsTheDeviceGoneIsNotCountedAsAFailure() throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011E04");
      statusKnown(h, d);
      send(h, uplink(d, 1, false), "A");
      send(h, uplink(d, 2, false), "B");
      onCommitter(() -> holding.failOldest(ApiException.notFound("device")));
      h.runDue();
      assertThat(h.dropped("processing")).isZero();
      assertThat(h.dropped("internal")).isZero();
      assertThat(processed(h)).isZero();
      assertThat(holding.held).hasSize(1);
      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(forwardedFCnts(h)).containsExactly(2);
    }
  }

  @Test
  void theNextUplinkWaitsForTheDownlinksCounterWriteAndAFailedOneSchedulesNothing()
      throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011E05");
      statusKnown(h, d);
      send(h, uplink(d, 1, true), "A");
      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(processed(h)).isEqualTo(1);
      // the ACK's counter write is held; the device's next uplink waits behind it
      assertThat(holding.held).hasSize(1);
      send(h, uplink(d, 2, false), "B");
      assertThat(holding.held).hasSize(1);
      assertThat(processed(h)).isEqualTo(1);

      onCommitter(() -> holding.failOldest(ApiException.unavailable("disk gone")));
      h.runDue();
      assertThat(h.gs.scheduled).isEmpty();
      assertThat(h.bus.count("ns.down.data.schedule.attempt")).isZero();
      assertThat(h.device(d).getMacState().hasLastDownlinkAt()).isFalse();
      // the lane went on with the next uplink: its write is held now
      assertThat(holding.held).hasSize(1);

      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(processed(h)).isEqualTo(2);
      assertThat(forwardedFCnts(h)).containsExactly(1, 2);
      assertThat(holding.held).isEmpty();
      assertThat(holding.overlapping.get()).isZero();
      assertThat(h.gs.scheduled).isEmpty();
    }
  }

  @Test
  void aClassCDownlinkIsScheduledOnlyOnceItsCounterIsStored() throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011E06");
      h.store.update(d.ids, e -> e.toBuilder().setSupportsClassC(true).build(), false);
      statusKnown(h, d);
      send(h, uplink(d, 1, false), "A");
      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(h.device(d).getMacState().getDeviceClass())
          .isEqualTo(dev.loralab.api.v3.Class.CLASS_C);
      assertThat(holding.held).isEmpty();

      var pushed = h.ns.downlinkQueuePush(dev.loralab.api.v3.DownlinkQueueRequest.newBuilder()
          .setEndDeviceIds(d.ids).addDownlinks(dev.loralab.api.v3.ApplicationDownlink.newBuilder()
              .setFPort(3).setFCnt(0).setFrmPayload(com.google.protobuf.ByteString.copyFrom(
                  new byte[] {1}))).build());
      h.runDue();
      // the queue's write is held: the push is not answered yet
      assertThat(pushed).isNotDone();
      assertThat(holding.held).hasSize(1);
      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(pushed).isCompleted();
      // then the class C downlink's counter write is held: nothing scheduled yet
      assertThat(holding.held).hasSize(1);
      assertThat(h.gs.scheduled).isEmpty();

      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(h.gs.scheduled).hasSize(1);
      assertThat(h.gs.scheduled.get(0).getRequest().getClass_())
          .isEqualTo(dev.loralab.api.v3.Class.CLASS_C);
      assertThat(h.device(d).getSession().getQueuedApplicationDownlinksCount()).isZero();
    }
  }

  @Test
  void aJoinAcceptIsScheduledOnlyOnceThePendingSessionIsStored() throws Exception {
    try (Harness h = harness()) {
      TestDevice dev = new TestDevice("dev-join-async", JoinPathTest.DEV_EUI, false);
      h.store.put(dev.otaa());
      h.js.appKeys.put(Eui64.parse(JoinPathTest.DEV_EUI), JoinPathTest.APP_KEY);
      h.ns.handleUplink(TestDevice.copy(dev.joinRequest(JoinPathTest.APP_KEY, 0x0101), "gw1", 7,
          -40, "J1")).get();
      h.closeDeduplicationWindows();
      assertThat(h.bus.count("ns.up.join.cluster.success")).isEqualTo(1);
      assertThat(holding.held).hasSize(1);
      assertThat(h.bus.count("ns.up.join.process")).isZero();
      assertThat(h.gs.scheduled).isEmpty();
      assertThat(h.device(dev).hasPendingSession()).isFalse();

      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(h.bus.count("ns.up.join.process")).isEqualTo(1);
      assertThat(h.gs.scheduled).hasSize(1);
      assertThat(h.device(dev).hasPendingSession()).isTrue();

      // a second join whose write fails: dropped, nothing scheduled
      h.ns.handleUplink(TestDevice.copy(dev.joinRequest(JoinPathTest.APP_KEY, 0x0102), "gw1", 7,
          -40, "J2")).get();
      h.closeDeduplicationWindows();
      assertThat(holding.held).hasSize(1);
      onCommitter(() -> holding.failOldest(ApiException.unavailable("disk gone")));
      h.runDue();
      assertThat(h.bus.count("ns.up.join.drop")).isEqualTo(1);
      assertThat(h.bus.count("ns.up.join.process")).isEqualTo(1);
      assertThat(h.gs.scheduled).hasSize(1);
    }
  }

  @Test
  void aRefusedDownlinkGivesItsCounterBackDurablyBeforeTheLaneGoesOn() throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011E07");
      statusKnown(h, d);
      h.gs.refuse = ApiException.failedPrecondition("too late");
      send(h, uplink(d, 1, true), "A");
      onCommitter(holding::completeOldest);
      h.runDue();
      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(h.bus.count("ns.down.data.schedule.fail")).isEqualTo(1);
      // the give-back is held: the downlink's state is still stored, the next uplink waits
      assertThat(holding.held).hasSize(1);
      assertThat(h.device(d).getMacState().hasLastDownlinkAt()).isTrue();
      send(h, uplink(d, 2, false), "B");
      assertThat(holding.held).hasSize(1);
      assertThat(processed(h)).isEqualTo(1);

      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(h.device(d).getMacState().hasLastDownlinkAt()).isFalse();
      assertThat(holding.held).hasSize(1);
      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(processed(h)).isEqualTo(2);
      assertThat(holding.overlapping.get()).isZero();
    }
  }

  // The Gateway Server's check (NsGs.checkDownlink) comes before the downlink's durable write: a
  // refused attempt writes nothing and gives nothing back; an accepted one is stored before it
  // is scheduled; a scheduling refused after an accepted check still gives back.

  @Test
  void aRefusedCheckWritesNothingAndPublishesTheFailure() throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011F01");
      statusKnown(h, d);
      EndDevice before = h.device(d);
      h.gs.refuseCheck = ApiException.failedPrecondition("downlink not scheduled: conflict");
      send(h, uplink(d, 1, true), "A"); // confirmed: wants an ACK
      assertThat(holding.held).hasSize(1); // the uplink's own write
      onCommitter(holding::completeOldest);
      h.runDue();
      int updates = h.store.updates().size();

      assertThat(h.gs.checked).hasSize(1);
      assertThat(h.gs.scheduled).isEmpty();
      assertThat(holding.held).as("no durable write for the refused downlink").isEmpty();
      assertThat(h.bus.count("ns.down.data.schedule.attempt")).isEqualTo(1);
      assertThat(h.bus.count("ns.down.data.schedule.fail")).isEqualTo(1);
      assertThat(h.bus.first("ns.down.data.schedule.fail").dataAs(ErrorDetails.class)
          .getMessageFormat()).contains("conflict");
      // the events carry the downlink's correlation IDs, as a refused scheduling's do
      assertThat(h.bus.first("ns.down.data.schedule.fail").correlationIds().asList())
          .anyMatch(id -> id.startsWith("ns:downlink:"))
          .containsAll(h.bus.first("ns.down.data.schedule.attempt").correlationIds().asList());
      assertThat(h.counter("ns_downlink_failed_total")).isEqualTo(1);
      assertThat(h.counter("ns_downlink_check_refused_total")).isEqualTo(1);
      assertThat(h.counter("ns_downlink_scheduled_total")).isZero();
      // nothing taken: the counters and MAC state are as before the downlink was built
      EndDevice after = h.device(d);
      assertThat(after.getSession().getLastNFCntDown())
          .isEqualTo(before.getSession().getLastNFCntDown());
      assertThat(after.getMacState().hasLastDownlinkAt()).isFalse();

      // the lane goes on at once: the next uplink's write is the only one
      h.gs.refuseCheck = null;
      send(h, uplink(d, 2, false), "B");
      assertThat(holding.held).hasSize(1);
      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(processed(h)).isEqualTo(2);
      assertThat(h.store.updates()).hasSize(updates + 1);
      assertThat(holding.overlapping.get()).isZero();
    }
  }

  @Test
  void anAcceptedCheckIsStoredBeforeItIsScheduled() throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011F02");
      statusKnown(h, d);
      send(h, uplink(d, 1, true), "A");
      onCommitter(holding::completeOldest);
      h.runDue();
      // checked, then its counter's write is held: nothing scheduled yet
      assertThat(h.gs.checked).hasSize(1);
      assertThat(holding.held).hasSize(1);
      assertThat(h.gs.scheduled).isEmpty();
      assertThat(h.bus.count("ns.down.data.schedule.attempt")).isZero();
      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(h.gs.scheduled).hasSize(1);
      DownlinkMessage checked = h.gs.checked.get(0);
      DownlinkMessage scheduled = h.gs.scheduled.get(0);
      assertThat(scheduled).as("the downlink checked is the one scheduled").isEqualTo(checked);
      assertThat(h.order).containsSubsequence("check", "update:true", "schedule");
      assertThat(h.device(d).getSession().getLastNFCntDown() & 0xFFFFFFFFL)
          .isEqualTo(DataPathTest.fullFCnt(scheduled));
      assertThat(h.bus.count("ns.down.data.schedule.success")).isEqualTo(1);
      assertThat(h.counter("ns_downlink_check_refused_total")).isZero();
    }
  }

  /** The check accepts, another downlink takes the slot, scheduling refuses: give-back. */
  @Test
  void aSchedulingRefusedAfterAnAcceptedCheckStillGivesBack() throws Exception {
    try (Harness h = harness()) {
      TestDevice d = abp10(h, "26011F03");
      statusKnown(h, d);
      h.gs.refuse = ApiException.failedPrecondition("downlink not scheduled: conflict");
      send(h, uplink(d, 1, true), "A");
      onCommitter(holding::completeOldest);
      h.runDue();
      onCommitter(holding::completeOldest); // the downlink's state
      h.runDue();
      assertThat(h.gs.checked).hasSize(1);
      assertThat(h.gs.scheduled).hasSize(1);
      assertThat(h.bus.count("ns.down.data.schedule.fail")).isEqualTo(1);
      assertThat(h.device(d).getMacState().hasLastDownlinkAt()).isTrue();
      assertThat(holding.held).as("the give-back").hasSize(1);
      onCommitter(holding::completeOldest);
      h.runDue();
      assertThat(h.device(d).getMacState().hasLastDownlinkAt()).isFalse();
      assertThat(h.device(d).getSession().getLastNFCntDown()).isZero();
      assertThat(h.counter("ns_downlink_failed_total")).isEqualTo(1);
      assertThat(h.counter("ns_downlink_check_refused_total")).isZero();
      assertThat(h.order).containsSubsequence("check", "update:true", "schedule", "update:true");
    }
  }
}
