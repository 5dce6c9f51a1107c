package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class NetworkInitiatedMacTest {

  @Test
  void requestedCommandsGoOutAndTheirAnswersAreApplied() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = DataPathTest.abp10(h, "26011BF0");
      DataPathTest.statusKnown(h, d);
      DataPathTest.send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      h.ns.requestMacCommand(d.ids, new MacCommand.RXParamSetupReq(2, 3, 869_525_000L)).get();
      h.ns.requestMacCommand(d.ids, new MacCommand.NewChannelReq(3, 867_100_000L, 5, 0)).get();
      h.ns.requestMacCommand(d.ids, new MacCommand.ADRParamSetupReq(6, 5)).get();
      h.ns.requestMacCommand(d.ids, new MacCommand.DutyCycleReq(4)).get();
      assertThat(h.bus.names()).contains("ns.mac.rx_param_setup.request",
          "ns.mac.new_channel.request", "ns.mac.adr_param_setup.request",
          "ns.mac.duty_cycle.request");
      DataPathTest.send(h, d.uplink(2, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      DownlinkMessage down = DataPathTest.awaitDownlink(h, 0);
      long fCnt = DataPathTest.fullFCnt(down);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), fCnt, 2);
      assertThat(MacCommandCodec.decode(d.downlinkMac(f, fCnt), false)).containsExactly(
          new MacCommand.RXParamSetupReq(2, 3, 869_525_000L),
          new MacCommand.NewChannelReq(3, 867_100_000L, 5, 0),
          new MacCommand.ADRParamSetupReq(6, 5),
          new MacCommand.DutyCycleReq(4));
      byte[] answers = MacCommandCodec.encode(List.of(
          new MacCommand.RXParamSetupAns(true, true, true),
          new MacCommand.NewChannelAns(true, true),
          new MacCommand.ADRParamSetupAns(),
          new MacCommand.DutyCycleAns()));
      DataPathTest.send(h, d.uplink(3, false, 1, new byte[] {1}, answers, false, false), "gw1",
          5);
      var p = h.device(d).getMacState().getCurrentParameters();
      assertThat(p.getRx1DataRateOffset()).isEqualTo(2);
      assertThat(p.getRx2DataRateIndex()).isEqualTo(3);
      assertThat(p.getChannels(3).getUplinkFrequency()).isEqualTo(867_100_000L);
      assertThat(p.getAdrAckLimit()).isEqualTo(64);
      assertThat(p.getAdrAckDelay()).isEqualTo(32);
      assertThat(p.getMaxDutyCycle()).isEqualTo(4);
      assertThat(h.device(d).getMacState().getPendingRequestsCount()).isZero();
      assertThat(h.bus.names()).contains("ns.mac.rx_param_setup.answer.accept",
          "ns.mac.new_channel.answer.accept", "ns.mac.adr_param_setup.answer",
          "ns.mac.duty_cycle.answer");
    }
  }

  @Test
  void txParamSetupIsRefusedInBandsWithoutIt() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = DataPathTest.abp10(h, "26011BF1");
      DataPathTest.send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      assertThatThrownBy(() -> h.ns.requestMacCommand(d.ids,
          new MacCommand.TxParamSetupReq(false, false, 5)).get())
          .isInstanceOf(ExecutionException.class).hasMessageContaining("not implemented");
    }
  }
}
