package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.lorawan.frame.DataFrame;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class DownlinkEdgeCasesTest {

  @Test
  void adrAckReqIsAnsweredWithAnEmptyDownlink() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = DataPathTest.abp10(h, "26011C00");
      DataPathTest.statusKnown(h, d);
      DataPathTest.send(h, d.uplink(70, false, 1, new byte[] {1}, null, true, false, true),
          "gw1", 5);
      var down = DataPathTest.awaitDownlink(h, 0);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), DataPathTest.fullFCnt(down),
          70);
      assertThat(f.fPort()).isEmpty();
      assertThat(f.fHdr().fOpts().isEmpty()).isTrue();
      assertThat(f.fHdr().fCtrl().adr()).isTrue();
    }
  }

  @Test
  void refusedClassCDownlinksAreRetriedThenLeftQueued() throws Exception {
    NetworkServerConfig cfg = NetworkServerConfig.defaults()
        .withDeduplication(Duration.ofMillis(100), Duration.ofSeconds(30))
        .withClassCRetryInterval(Duration.ofMillis(50));
    try (Harness h = new Harness(cfg)) {
      TestDevice d = DataPathTest.abp10(h, "26011C01");
      h.store.update(d.ids, e -> e.toBuilder().setSupportsClassC(true).build(), false);
      DataPathTest.statusKnown(h, d);
      DataPathTest.send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      h.gs.refuse = ApiException.resourceExhausted("duty cycle");
      h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(3).setFCnt(0)
              .setFrmPayload(ByteString.copyFrom(new byte[] {1}))).build()).get();
      Fakes.await("three attempts", () -> h.bus.count("ns.down.data.schedule.fail") >= 3);
      Fakes.await("requeued", () -> h.device(d).getSession()
          .getQueuedApplicationDownlinksCount() == 1);
      assertThat(h.bus.first("ns.down.data.schedule.fail").dataAs(ErrorDetails.class)
          .getMessageFormat()).contains("duty cycle");
      assertThat(h.as.ups.stream().noneMatch(ApplicationUp::hasDownlinkSent)).isTrue();
    }
  }

  @Test
  void classCDownlinksRefusedByTheCheckAreRetriedWithoutWritesThenLeftQueued()
      throws Exception {
    NetworkServerConfig cfg = NetworkServerConfig.defaults()
        .withDeduplication(Duration.ofMillis(100), Duration.ofSeconds(30))
        .withClassCRetryInterval(Duration.ofMillis(50));
    try (Harness h = new Harness(cfg)) {
      TestDevice d = DataPathTest.abp10(h, "26011F04");
      h.store.update(d.ids, e -> e.toBuilder().setSupportsClassC(true).build(), false);
      DataPathTest.statusKnown(h, d);
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

  @Test
  void classCWithoutAKnownGatewayFailsVisibly() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = DataPathTest.abp10(h, "26011C02");
      h.store.update(d.ids, e -> e.toBuilder().setSupportsClassC(true).setMacState(
          dev.loralab.api.v3.MACState.newBuilder().setDeviceClass(dev.loralab.api.v3.Class.CLASS_C))
          .build(), false);
      h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(3)
              .setFrmPayload(ByteString.copyFrom(new byte[] {1}))).build()).get();
      Fakes.await("fail", () -> h.bus.has("ns.down.data.schedule.fail"));
      assertThat(h.bus.first("ns.down.data.schedule.fail").dataAs(ErrorDetails.class)
          .getMessageFormat()).contains("no gateway");
      assertThat(h.gs.scheduled).isEmpty();
    }
  }

  @Test
  void queueRequestsAreValidated() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = DataPathTest.abp10(h, "26011C03");
      var bad = h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(0)).build());
      assertThat(bad).isCompletedExceptionally();
      var unknown = h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder()
          .setEndDeviceIds(d.ids.toBuilder().setDeviceId("nobody"))
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(1)).build());
      try {
        unknown.get();
        throw new AssertionError("expected NOT_FOUND");
      } catch (ExecutionException e) {
        assertThat(((ApiException) e.getCause()).code()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
      }
      DownlinkQueueRequest.Builder many = DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids);
      for (int i = 0; i <= h.ns.config().maxQueuedDownlinks(); i++) {
        many.addDownlinks(ApplicationDownlink.newBuilder().setFPort(1).setFCnt(i));
      }
      try {
        h.ns.downlinkQueueReplace(many.build()).get();
        throw new AssertionError("expected RESOURCE_EXHAUSTED");
      } catch (ExecutionException e) {
        assertThat(((ApiException) e.getCause()).code())
            .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
      }
    }
  }

  @Test
  void staleApplicationFrameCountersInvalidateTheQueue() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = DataPathTest.abp10(h, "26011C04");
      DataPathTest.statusKnown(h, d);
      // a confirmed uplink makes the NS use FCntDown 0 for its ACK
      DataPathTest.send(h, d.uplink(1, true, 1, new byte[] {1}, null, false, false), "gw1", 5);
      DataPathTest.awaitDownlink(h, 0);
      Fakes.await("scheduled", () -> h.bus.has("ns.down.data.schedule.success"));
      h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(3).setFCnt(0)
              .setFrmPayload(ByteString.copyFrom(new byte[] {1}))).build()).get();
      DataPathTest.send(h, d.uplink(2, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      Fakes.await("invalidated",
          () -> h.as.ups.stream().anyMatch(ApplicationUp::hasDownlinkQueueInvalidated));
      ApplicationUp inv = h.as.ups.stream().filter(ApplicationUp::hasDownlinkQueueInvalidated)
          .findFirst().orElseThrow();
      assertThat(inv.getDownlinkQueueInvalidated().getLastFCntDown()).isZero();
      assertThat(h.device(d).getSession().getQueuedApplicationDownlinksCount()).isZero();
    }
  }
}
