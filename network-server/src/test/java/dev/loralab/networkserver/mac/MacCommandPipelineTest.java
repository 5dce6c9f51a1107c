package dev.loralab.networkserver.mac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.events.EventDefinition;
import dev.loralab.frequencyplans.Bands;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MacCommandPipelineTest {

  static final MacUplinkContext CTX = new MacUplinkContext(Instant.parse("2024-01-01T00:00:00Z"),
      42, 2, 10.4, MacVersion.V1_0_3, Bands.byId("EU_863_870"));

  static EndDevice.Builder device() {
    return EndDevice.newBuilder().setLorawanVersion(MACVersion.MAC_V1_0_3)
        .setMacState(MACState.newBuilder().setCurrentParameters(MACParameters.newBuilder()
            .addChannels(MACParameters.Channel.newBuilder().setEnableUplink(true))
            .addChannels(MACParameters.Channel.newBuilder().setEnableUplink(true))));
  }

  @Test
  void unansweredRequestsAreQueuedAgainAndUnexpectedAnswersReported() {
    EndDevice.Builder d = device();
    List<String> events = new ArrayList<>();
    MacEvents sink = (def, data) -> events.add(def.name());
    DevStatus.request(d, 1, sink);
    // as if sent: move to pending
    var s = d.getMacStateBuilder();
    s.addAllPendingRequests(s.getQueuedRequestsList()).clearQueuedRequests();
    byte[] mac = MacCommandCodec.encode(List.of(new MacCommand.LinkADRAns(true, true, true)));
    MacCommandPipeline.standard().processUplink(mac, CTX, d, sink);
    assertThat(events).containsExactly("ns.mac.dev_status.request", "ns.mac.command.unknown",
        "ns.mac.command.unanswered");
    assertThat(d.getMacState().getQueuedRequestsList()).extracting(c -> c.getCid())
        .containsExactly(MacCommand.DevStatusReq.CID);
  }

  @Test
  void rejectedLinkAdrLeavesTheStateAndAcceptedAppliesIt() {
    EndDevice.Builder d = device();
    List<EventDefinition> events = new ArrayList<>();
    LinkAdr.request(d, 3, 2, 1, (def, data) -> events.add(def));
    var s = d.getMacStateBuilder();
    s.addAllPendingRequests(s.getQueuedRequestsList()).clearQueuedRequests();
    MacCommandPipeline.standard().processUplink(MacCommandCodec.encode(List.of(
        new MacCommand.LinkADRAns(true, false, true))), CTX, d, (def, data) -> events.add(def));
    assertThat(d.getMacState().getCurrentParameters().getAdrDataRateIndex()).isZero();
    assertThat(events.get(events.size() - 1).name()).isEqualTo("ns.mac.link_adr.answer.reject");
  }

  @Test
  void linkCheckMarginIsFlooredAndDeviceTimeIsGps() {
    EndDevice.Builder d = device();
    MacCommandPipeline.standard().processUplink(MacCommandCodec.encode(List.of(
        new MacCommand.LinkCheckReq(), new MacCommand.DeviceTimeReq())), CTX, d, (a, b) -> { });
    var q = d.getMacState().getQueuedResponsesList();
    assertThat(MacProtos.fromProto(q.get(0), false)).isEqualTo(new MacCommand.LinkCheckAns(10, 2));
    // 2024-01-01T00:00:00Z = GPS 1388102418 (18 leap seconds)
    assertThat(MacProtos.fromProto(q.get(1), false))
        .isEqualTo(new MacCommand.DeviceTimeAns(1_388_102_418L, 0));
  }

  @Test
  void unparsableCommandsEmitParseFail() {
    EndDevice.Builder d = device();
    List<String> events = new ArrayList<>();
    MacCommandPipeline.standard().processUplink(new byte[] {(byte) 0x7F}, CTX, d,
        (def, data) -> events.add(def.name()));
    assertThat(events).containsExactly("ns.mac.command.parse.fail");
  }

  @Provide
  Arbitrary<MacCommand> downlinkCommands() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 255).map(m -> new MacCommand.LinkCheckAns(m, 1)),
        Arbitraries.integers().between(0, 15).map(dr -> new MacCommand.LinkADRReq(dr, 3, 0xFF, 0,
            1)),
        Arbitraries.integers().between(0, 15).map(MacCommand.RXTimingSetupReq::new),
        Arbitraries.integers().between(0, 15).map(MacCommand.DutyCycleReq::new),
        Arbitraries.just(new MacCommand.DevStatusReq()));
  }

  @Property
  void storedCommandsRoundTrip(@ForAll("downlinkCommands") MacCommand c) {
    assertThat(MacProtos.fromProto(MacProtos.toProto(c), false)).isEqualTo(c);
    assertThat(MacProtos.encodeAll(List.of(MacProtos.toProto(c))))
        .isEqualTo(MacCommandCodec.encode(c));
  }
}
