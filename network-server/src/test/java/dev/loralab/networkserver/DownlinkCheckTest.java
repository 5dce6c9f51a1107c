package dev.loralab.networkserver;

import static dev.loralab.networkserver.DataPathTest.abp10;
import static dev.loralab.networkserver.DataPathTest.statusKnown;
import static dev.loralab.networkserver.DeduplicationFlowTest.CONFIG;
import static dev.loralab.networkserver.DeduplicationFlowTest.processed;
import static dev.loralab.networkserver.DeduplicationFlowTest.uplink;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.ErrorDetails;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Gateway Server's check ({@code NsGs.checkDownlink}) comes before the durable write of a
 * downlink's state: a refused attempt writes nothing and gives nothing back; an accepted one is
 * stored before it is scheduled; a scheduling refused after an accepted check still gives back.
 * Device work runs on virtual time with writes that complete only when the test says so.
 */
class DownlinkCheckTest {

  private final ExecutorService committer = Executors.newSingleThreadExecutor();
  private AsyncDeviceWriteTest.HoldingStore holding;

  @AfterEach
  void stopCommitter() throws InterruptedException {
    committer.shutdownNow();
    committer.awaitTermination(60, TimeUnit.SECONDS);
  }

  private Harness harness() {
    return Harness.withVirtualTime(CONFIG,
        s -> holding = new AsyncDeviceWriteTest.HoldingStore(s));
  }

  private void onCommitter(Runnable r) {
    CompletableFuture.runAsync(r, committer).join();
  }

  private static void send(Harness h, byte[] raw, String id) throws Exception {
    h.ns.handleUplink(TestDevice.copy(raw, "gw1", 5, -60, id)).get();
    h.closeDeduplicationWindows();
  }

  private static double counter(Harness h, String name) {
    var c = h.registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

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
      assertThat(counter(h, "ns_downlink_failed_total")).isEqualTo(1);
      assertThat(counter(h, "ns_downlink_check_refused_total")).isEqualTo(1);
      assertThat(counter(h, "ns_downlink_scheduled_total")).isZero();
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
      assertThat(counter(h, "ns_downlink_check_refused_total")).isZero();
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
      assertThat(counter(h, "ns_downlink_failed_total")).isEqualTo(1);
      assertThat(counter(h, "ns_downlink_check_refused_total")).isZero();
      assertThat(h.order).containsSubsequence("check", "update:true", "schedule", "update:true");
    }
  }

  @Test
  void classCDownlinksRefusedByTheCheckAreRetriedWithoutWritesThenLeftQueued()
      throws Exception {
    NetworkServerConfig cfg = NetworkServerConfig.defaults()
        .withDeduplication(Duration.ofMillis(100), Duration.ofSeconds(30))
        .withClassCRetryInterval(Duration.ofMillis(50));
    try (Harness h = new Harness(cfg)) {
      TestDevice d = abp10(h, "26011F04");
      h.store.update(d.ids, e -> e.toBuilder().setSupportsClassC(true).build(), false);
      statusKnown(h, d);
      DataPathTest.send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      h.gs.refuseCheck = ApiException.resourceExhausted("duty cycle");
      h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(3).setFCnt(0)
              .setFrmPayload(ByteString.copyFrom(new byte[] {1}))).build()).get();
      Fakes.await("first attempt", () -> h.bus.count("ns.down.data.schedule.fail") >= 1);
      int updates = h.store.updates().size();
      Fakes.await("three attempts", () -> h.bus.count("ns.down.data.schedule.fail") >= 3);
      assertThat(h.gs.checked).hasSizeGreaterThanOrEqualTo(3);
      assertThat(h.gs.scheduled).isEmpty();
      assertThat(h.store.updates()).as("no writes for refused attempts").hasSize(updates);
      assertThat(h.device(d).getSession().getQueuedApplicationDownlinksCount()).isEqualTo(1);
      assertThat(h.device(d).getMacState().hasLastDownlinkAt()).isFalse();
      assertThat(h.bus.first("ns.down.data.schedule.fail").dataAs(ErrorDetails.class)
          .getMessageFormat()).contains("duty cycle");
      assertThat(h.as.ups.stream().noneMatch(ApplicationUp::hasDownlinkSent)).isTrue();
    }
  }
}
