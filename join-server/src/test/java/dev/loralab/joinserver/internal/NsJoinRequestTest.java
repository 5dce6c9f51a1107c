package dev.loralab.joinserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.CFList;
import dev.loralab.api.v3.CFListType;
import dev.loralab.api.v3.DLSettings;
import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.joinserver.JoinRejectReason;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.frame.CfList;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class NsJoinRequestTest {

  // 00                MHDR: JoinRequest, Major R1
  // 0100000000000000  JoinEUI 0000000000000001 (LE)
  // AD0E05D07ED5B370  DevEUI 70B3D57ED0050EAD (LE)
  // 7CAF              DevNonce AF7C (LE)
  // 11223344          MIC (not checked here)
  private static final String RAW = "00" + "0100000000000000" + "AD0E05D07ED5B370" + "7CAF"
      + "11223344";

  private static JoinRequest.Builder valid() {
    return JoinRequest.newBuilder()
        .setRawPayload(ByteString.copyFrom(HexBytes.parse("raw", RAW)))
        .setDevAddr(ByteString.copyFrom(new byte[] {0x00, (byte) 0xFF, 0x52, (byte) 0xE3}))
        .setNetId(ByteString.copyFrom(new byte[] {0, 0, 0x13}))
        .setSelectedMacVersion(MACVersion.MAC_V1_0_2)
        .setDownlinkSettings(DLSettings.newBuilder().setRx1DrOffset(1).setRx2Dr(3))
        .setRxDelay(5)
        .setCfList(CFList.newBuilder().addFreq(8671000).addFreq(8673000))
        .addCorrelationIds("ns:uplink:01G76SF01C64KZ26CKK4SK5G10");
  }

  @Test
  void parsesTheSeedsJoinRequest() {
    NsJoinRequest r = NsJoinRequest.parse(valid().build());
    assertThat(r.frame().joinEui()).isEqualTo(Eui64.parse("0000000000000001"));
    assertThat(r.frame().devEui()).isEqualTo(Eui64.parse("70B3D57ED0050EAD"));
    assertThat(r.frame().devNonce()).isEqualTo(DevNonce.parse("AF7C"));
    assertThat(r.devAddr()).isEqualTo(DevAddr.parse("00FF52E3")); // bytes MSB first
    assertThat(r.netId()).isEqualTo(NetId.parse("000013"));
    assertThat(r.selectedMacVersion()).contains(MacVersion.V1_0_2);
    assertThat(r.rx1DrOffset()).isEqualTo(1);
    assertThat(r.rx2DataRate()).isEqualTo(3);
    assertThat(r.rxDelay()).isEqualTo(5);
    assertThat(r.cfList()).contains(CfList.Frequencies.of(867_100_000L, 867_300_000L));
    assertThat(r.correlationIds()).containsExactly("ns:uplink:01G76SF01C64KZ26CKK4SK5G10");
    assertThat(HexBytes.format(r.rawWithoutMic())).isEqualTo(RAW.substring(0, 38));
  }

  @Test
  void channelMaskCfList() {
    CFList.Builder c = CFList.newBuilder().setType(CFListType.CHANNEL_MASKS);
    for (int ch = 0; ch < 72; ch++) {
      c.addChMasks(ch < 8 || ch == 65);
    }
    NsJoinRequest r = NsJoinRequest.parse(valid().setCfList(c).build());
    assertThat(r.cfList()).contains(CfList.ChannelMasks.of(0x00FF, 0, 0, 0, 0x0002));
  }

  @Test
  void emptyFrequencyCfListMeansNone() {
    assertThat(NsJoinRequest.parse(valid().setCfList(CFList.getDefaultInstance()).build())
        .cfList()).isEmpty();
    assertThat(NsJoinRequest.parse(valid().clearCfList().build()).cfList()).isEmpty();
  }

  @Test
  void malformedFieldsAreNamed() {
    assertMalformed(b -> b.setRawPayload(ByteString.copyFrom(new byte[22])), "raw_payload");
    assertMalformed(b -> b.setRawPayload(ByteString.EMPTY), "raw_payload");
    // a 23-byte unconfirmed uplink is not a join-request
    assertMalformed(b -> b.setRawPayload(ByteString.copyFrom(
        HexBytes.parse("raw", "40" + RAW.substring(2)))), "raw_payload.MHDR.MType");
    assertMalformed(b -> b.setDevAddr(ByteString.copyFrom(new byte[3])), "dev_addr");
    assertMalformed(b -> b.clearNetId(), "net_id");
    assertMalformed(b -> b.setDownlinkSettings(DLSettings.newBuilder().setRx1DrOffset(8)),
        "downlink_settings.rx1_dr_offset");
    assertMalformed(b -> b.setDownlinkSettings(DLSettings.newBuilder().setRx2Dr(-1)),
        "downlink_settings.rx2_dr");
    assertMalformed(b -> b.setRxDelay(16), "rx_delay");
    assertMalformed(b -> b.setSelectedMacVersionValue(99), "selected_mac_version");
    assertMalformed(b -> b.setCfList(CFList.newBuilder().addFreq(1).addFreq(2).addFreq(3)
        .addFreq(4).addFreq(5).addFreq(6)), "cf_list.freq");
    assertMalformed(b -> b.setCfList(CFList.newBuilder().addFreq(0x1000000)), "cf_list.freq[0]");
    CFList.Builder tooMany = CFList.newBuilder().setType(CFListType.CHANNEL_MASKS);
    for (int i = 0; i < 113; i++) {
      tooMany.addChMasks(true);
    }
    assertMalformed(b -> b.setCfList(tooMany), "cf_list.ch_masks");
  }

  private static void assertMalformed(UnaryOperator<JoinRequest.Builder> change, String field) {
    JoinRequest req = change.apply(valid()).build();
    assertThatThrownBy(() -> NsJoinRequest.parse(req))
        .isInstanceOfSatisfying(JoinRejection.class, r -> {
          assertThat(r.reason()).isEqualTo(JoinRejectReason.MALFORMED_REQUEST);
          assertThat(r.field()).isEqualTo(field);
        });
  }

  /** Arbitrary raw payloads only ever raise a JoinRejection. */
  @Property(tries = 500)
  void arbitraryRawPayloadsOnlyRaiseJoinRejection(@ForAll @Size(max = 40) byte[] raw) {
    JoinRequest req = valid().setRawPayload(ByteString.copyFrom(raw)).build();
    try {
      NsJoinRequest r = NsJoinRequest.parse(req);
      assertThat(raw).hasSize(23);
      assertThat(r.raw().toArray()).isEqualTo(raw);
    } catch (JoinRejection e) {
      assertThat(e.reason()).isEqualTo(JoinRejectReason.MALFORMED_REQUEST);
    }
  }

  /** Arbitrary integers in the numeric fields only ever raise a JoinRejection. */
  @Property(tries = 300)
  void arbitraryNumbersOnlyRaiseJoinRejection(@ForAll int rx1, @ForAll int rx2,
      @ForAll int rxDelay, @ForAll int freq, @ForAll int version) {
    JoinRequest req = valid()
        .setDownlinkSettings(DLSettings.newBuilder().setRx1DrOffset(rx1).setRx2Dr(rx2))
        .setRxDelay(rxDelay).setCfList(CFList.newBuilder().addFreq(freq))
        .setSelectedMacVersionValue(version).build();
    try {
      NsJoinRequest.parse(req);
    } catch (JoinRejection e) {
      assertThat(e.reason()).isEqualTo(JoinRejectReason.MALFORMED_REQUEST);
    }
  }
}
