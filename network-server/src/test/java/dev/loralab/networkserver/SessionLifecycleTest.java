package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayTxAcknowledgment;
import dev.loralab.api.v3.TxAcknowledgment;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.crypto.SessionKeys10;
import dev.loralab.lorawan.frame.DataFrame;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionLifecycleTest {

  @Test
  void firstUplinkAfterAJoinConfirmsThePendingSessionAndTxAckIsReported() throws Exception {
    NetworkServerConfig cfg = NetworkServerConfig.defaults()
        .withDeduplication(Duration.ofMillis(100), Duration.ofSeconds(30))
        .withNetId(NetId.parse("000013"));
    try (Harness h = new Harness(cfg)) {
      TestDevice dev = new TestDevice("dev9", JoinPathTest.DEV_EUI, false);
      h.store.put(dev.otaa());
      h.js.appKeys.put(Eui64.parse(JoinPathTest.DEV_EUI), JoinPathTest.APP_KEY);
      h.ns.handleUplink(TestDevice.copy(dev.joinRequest(JoinPathTest.APP_KEY, 1), "gw1", 5, -50,
          "J")).get();
      Fakes.await("join scheduled", () -> h.bus.has("ns.down.join.schedule.success"));
      EndDevice joined = h.device(dev);
      DevAddr addr = DevAddr.parse(joined.getPendingSession().getDevAddr());
      assertThat(addr.belongsTo(NetId.parse("000013"))).isTrue();

      // TxAck of the join-accept
      DownlinkMessage ja = h.gs.scheduled.get(0);
      h.ns.reportTxAcknowledgment(GatewayTxAcknowledgment.newBuilder()
          .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw1"))
          .setTxAck(TxAcknowledgment.newBuilder().addAllCorrelationIds(ja.getCorrelationIdsList())
              .setResult(TxAcknowledgment.Result.SUCCESS)).build()).get();
      // the join-accept is remembered only for data downlinks; the TxAck carries the downlink
      h.ns.reportTxAcknowledgment(GatewayTxAcknowledgment.newBuilder()
          .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw1"))
          .setTxAck(TxAcknowledgment.newBuilder().addAllCorrelationIds(ja.getCorrelationIdsList())
              .setResult(TxAcknowledgment.Result.TOO_LATE).setDownlinkMessage(ja)).build()).get();
      assertThat(h.bus.has("ns.down.transmission.fail")).isTrue();

      SessionKeys10 keys = h.js.derived.get(Eui64.parse(JoinPathTest.DEV_EUI));
      dev.devAddr = addr;
      dev.fNwkSIntKey = keys.nwkSKey();
      dev.sNwkSIntKey = keys.nwkSKey();
      dev.nwkSEncKey = keys.nwkSKey();
      dev.appSKey = keys.appSKey();
      DataPathTest.send(h, dev.uplink(0, true, 1, new byte[] {1}, null, false, false), "gw1", 5);
      assertThat(h.bus.has("ns.up.data.process")).isTrue();
      EndDevice confirmed = h.device(dev);
      assertThat(confirmed.hasPendingSession()).isFalse();
      assertThat(confirmed.getSession().getDevAddr()).isEqualTo(addr.toString());
      assertThat(confirmed.getMacState().getCurrentParameters().getRx1Delay()).isEqualTo(5);
      assertThat(confirmed.getMacState().getCurrentParameters().getChannelsCount()).isEqualTo(8);

      // the ACK downlink uses the join's RX1 delay; its TxAck is matched by correlation ID
      DownlinkMessage down = DataPathTest.awaitDownlink(h, 1);
      assertThat(down.getRequest().getRx1Delay()).isEqualTo(5);
      assertThat(down.getRequest().getRx2DataRate().getLora().getSpreadingFactor()).isEqualTo(9);
      DataFrame f = dev.downlink(down.getRawPayload().toByteArray(),
          DataPathTest.fullFCnt(down), 0);
      assertThat(f.fHdr().fCtrl().ack()).isTrue();
      Fakes.await("scheduled", () -> h.bus.has("ns.down.data.schedule.success"));
      h.ns.reportTxAcknowledgment(GatewayTxAcknowledgment.newBuilder()
          .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw1"))
          .setTxAck(TxAcknowledgment.newBuilder().addAllCorrelationIds(
              down.getCorrelationIdsList()).setResult(TxAcknowledgment.Result.SUCCESS)).build())
          .get();
      assertThat(h.bus.first("ns.down.transmission.success").identifiers().get(0)
          .getDeviceIds().getDevAddr()).isEqualTo(addr.toString());
      // forgotten at its TxAck: a repeat of it (without the downlink) matches nothing
      h.ns.reportTxAcknowledgment(GatewayTxAcknowledgment.newBuilder()
          .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw1"))
          .setTxAck(TxAcknowledgment.newBuilder().addAllCorrelationIds(
              down.getCorrelationIdsList()).setResult(TxAcknowledgment.Result.SUCCESS)).build())
          .get();
      assertThat(h.bus.count("ns.down.transmission.success")).isEqualTo(1);
    }
  }
}
