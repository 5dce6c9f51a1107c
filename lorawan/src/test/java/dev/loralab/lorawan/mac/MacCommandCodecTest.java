package dev.loralab.lorawan.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.mac.MacCommand.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Byte-exact vectors for every MAC command and direction: {@code CID | payload}, fields spaced. */
class MacCommandCodecTest {

  static byte[] wire(String spaced) {
    return HexBytes.parse("test", spaced.replace(" ", ""));
  }

  static Arguments up(String hex, MacCommand c) {
    return Arguments.of(hex, true, c);
  }

  static Arguments down(String hex, MacCommand c) {
    return Arguments.of(hex, false, c);
  }

  static Stream<Arguments> vectors() {
    return Stream.of(
        up("01 01", new ResetInd(1)),                                  // Minor 1 (LoRaWAN 1.1)
        down("01 01", new ResetConf(1)),
        up("02", new LinkCheckReq()),
        down("02 0A 0F", new LinkCheckAns(10, 15)),                    // Margin 10 dB, GwCnt 15 (brocaar)
        // brocaar: DataRate 1 | TXPower 2, ChMask 0x0004 LE, ChMaskCntl 4 | NbTrans 5
        down("03 12 0400 45", new LinkADRReq(1, 2, 0x0004, 4, 5)),
        down("03 FF FFFF 7F", new LinkADRReq(15, 15, 0xFFFF, 7, 15)),   // 1.0.4 "keep current" values
        up("03 05", new LinkADRAns(true, false, true)),                // PowerACK, ChannelMaskACK
        up("03 07", new LinkADRAns(true, true, true)),
        down("04 0F", new DutyCycleReq(15)),                           // MaxDCycle 15: 1/32768
        up("04", new DutyCycleAns()),
        // brocaar: RX1DRoffset 3 | RX2DataRate 11, Frequency 262657 * 100 Hz LE
        down("05 3B 010204", new RXParamSetupReq(3, 11, 26_265_700L)),
        down("05 00 184F84", new RXParamSetupReq(0, 0, 867_100_000L)),
        up("05 07", new RXParamSetupAns(true, true, true)),
        up("05 02", new RXParamSetupAns(false, true, false)),
        down("06", new DevStatusReq()),
        up("06 73 07", new DevStatusAns(115, 7)),                      // battery 115, margin +7 dB
        up("06 7F 3F", new DevStatusAns(127, -1)),                     // margin -1 (6-bit two's complement)
        up("06 00 22", new DevStatusAns(0, -30)),                      // external power, margin -30
        up("06 FF 20", new DevStatusAns(255, -32)),
        // ChIndex 3, Freq 26265700 Hz, MaxDR 5 | MinDR 10
        down("07 03 010204 5A", new NewChannelReq(3, 26_265_700L, 5, 10)),
        down("07 08 000000 00", new NewChannelReq(8, 0L, 0, 0)),       // frequency 0 disables channel 8
        up("07 03", new NewChannelAns(true, true)),
        up("07 01", new NewChannelAns(false, true)),
        down("08 05", new RXTimingSetupReq(5)),                        // Del 5 s
        up("08", new RXTimingSetupAns()),
        down("09 17", new TxParamSetupReq(false, true, 7)),            // uplink dwell 400 ms, MaxEIRP index 7
        down("09 2F", new TxParamSetupReq(true, false, 15)),
        up("09", new TxParamSetupAns()),
        down("0A 01 107A84", new DlChannelReq(1, 868_200_000L)),       // channel 1 -> 868.2 MHz (brocaar)
        up("0A 02", new DlChannelAns(true, false)),
        up("0B 01", new RekeyInd(1)),
        down("0B 01", new RekeyConf(1)),
        down("0C 5A", new ADRParamSetupReq(5, 10)),                    // Limit_exp 5 | Delay_exp 10
        up("0C", new ADRParamSetupAns()),
        up("0D", new DeviceTimeReq()),
        down("0D 01000000 02", new DeviceTimeAns(1, 2)),               // 1 s + 2/256 s (brocaar)
        down("0D B0ADE843 80", new DeviceTimeAns(1_139_322_288L, 128)), // 2016-02-12 14:24:31 UTC + 0.5 s
        down("0D FFFFFFFF FF", new DeviceTimeAns(0xFFFF_FFFFL, 255)),
        // 16 bits LE: Period 3 | Max_Retries 4 | RejoinType 2 | DR 5 = 0x1C25
        down("0E 251C", new ForceRejoinReq(3, 4, 2, 5)),
        down("0F 3C", new RejoinParamSetupReq(3, 12)),                 // MaxTimeN 3 | MaxCountN 12
        up("0F 01", new RejoinParamSetupAns(true)),
        up("10 07", new PingSlotInfoReq(7)),                           // Periodicity 7: every 128 s
        down("10", new PingSlotInfoAns()),
        down("11 184F84 03", new PingSlotChannelReq(867_100_000L, 3)), // Frequency, DR 3
        up("11 03", new PingSlotChannelAns(true, true)),
        up("12", new BeaconTimingReq()),
        down("12 3412 07", new BeaconTimingAns(0x1234, 7)),            // Delay 0x1234 * 30 ms, channel 7
        down("13 B85E84", new BeaconFreqReq(867_500_000L)),
        up("13 01", new BeaconFreqAns(true)),
        up("20 02", new DeviceModeInd(2)),                             // Class C
        down("20 00", new DeviceModeConf(0)));                         // Class A
  }

  @ParameterizedTest(name = "{0} uplink={1}")
  @MethodSource("vectors")
  void decodesAndEncodesByteExact(String hex, boolean uplink, MacCommand expected) {
    assertThat(expected.uplink()).isEqualTo(uplink);
    assertThat(MacCommandCodec.decode(wire(hex), uplink)).containsExactly(expected);
    assertThat(HexBytes.format(MacCommandCodec.encode(expected))).isEqualTo(hex.replace(" ", ""));
    assertThat(MacCommandCodec.encodedLength(expected)).isEqualTo(wire(hex).length);
  }

  @Test
  void vectorsCoverEveryCommandRecord() {
    Set<Class<?>> covered = vectors().map(a -> a.get()[2].getClass()).collect(Collectors.toSet());
    assertThat(covered).containsExactlyInAnyOrderElementsOf(List.of(MacCommand.class.getPermittedSubclasses()));
    assertThat(covered).hasSize(39); // 20 CIDs in both directions, ForceRejoinReq has no answer
  }

  @Test
  void rfuBitsAreIgnored() {
    // LinkADRReq Redundancy bit 7, DevStatusAns margin bits 7..6, ResetInd bits 7..4
    assertThat(MacCommandCodec.decode(wire("03 12 0400 C5"), false)).containsExactly(new LinkADRReq(1, 2, 4, 4, 5));
    assertThat(MacCommandCodec.decode(wire("06 7F FF"), true)).containsExactly(new DevStatusAns(127, -1));
    assertThat(MacCommandCodec.decode(wire("01 F1"), true)).containsExactly(new ResetInd(1));
    assertThat(MacCommandCodec.decode(wire("0E 25DC"), false)).containsExactly(new ForceRejoinReq(3, 4, 2, 5));
  }

  @Test
  void fOptsListsFromTheVectors() {
    // brocaar_1_0_fopts_plain: LinkCheckReq, LinkADRAns(PowerACK, ChannelMaskACK)
    assertThat(MacCommandCodec.decode(wire("02 03 05"), true))
        .containsExactly(new LinkCheckReq(), new LinkADRAns(true, false, true));
    // brocaar_example_lorawan11_encrypted_fopts plaintext: LinkCheckAns margin 7, 1 gateway
    assertThat(MacCommandCodec.decode(wire("02 07 01"), false)).containsExactly(new LinkCheckAns(7, 1));
    // lp_rekeyind_1_1 FPort-0 plaintext
    assertThat(MacCommandCodec.decode(wire("0B 01"), true)).containsExactly(new RekeyInd(1));
    List<MacCommand> answers = List.of(new LinkADRAns(true, true, true), new RXParamSetupAns(true, true, true),
        new DevStatusAns(254, 10), new DeviceTimeReq());
    assertThat(HexBytes.format(MacCommandCodec.encode(answers))).isEqualTo("0307" + "0507" + "06FE0A" + "0D");
    assertThat(MacCommandCodec.decode(MacCommandCodec.encode(answers), true)).isEqualTo(answers);
    assertThat(MacCommandCodec.decode(new byte[0], true)).isEmpty();
    assertThat(MacCommandCodec.encode(List.of())).isEmpty();
  }

  @Test
  void unknownCidSaysAtWhichByte() {
    // LinkCheckReq (byte 0), LinkADRAns 07 (bytes 1-2), then 0x42 at byte 3
    assertThatThrownBy(() -> MacCommandCodec.decode(wire("02 03 07 42 00"), true))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("MACCommand[byte 3].CID: expected a known uplink CID, found 0x42")
        .satisfies(e -> assertThat(((LoRaWanException) e).field()).isEqualTo("MACCommand[byte 3].CID"));
    // ForceRejoinReq exists only downlink
    assertThatThrownBy(() -> MacCommandCodec.decode(wire("0E 251C"), true)).isInstanceOf(LoRaWanException.class)
        .hasMessage("MACCommand[byte 0].CID: expected a known uplink CID, found 0x0E");
    // proprietary CIDs cannot be delimited
    assertThatThrownBy(() -> MacCommandCodec.decode(wire("80 01"), false)).isInstanceOf(LoRaWanException.class)
        .hasMessage("MACCommand[byte 0].CID: expected a known downlink CID, found 0x80");
  }

  @Test
  void truncatedPayloadSaysWhichCommandAndByte() {
    assertThatThrownBy(() -> MacCommandCodec.decode(wire("06 03 12 04"), false))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("MACCommand[byte 1].LinkADRReq: expected 4 payload bytes, found 2 bytes");
    assertThatThrownBy(() -> MacCommandCodec.decode(wire("06"), true)).isInstanceOf(LoRaWanException.class)
        .hasMessage("MACCommand[byte 0].DevStatusAns: expected 2 payload bytes, found 0 bytes");
  }

  @Test
  void oneBitCorruptionOfCidIsDetectedOrChangesTheCommand() {
    byte[] original = wire("03 12 0400 45");
    List<MacCommand> decoded = MacCommandCodec.decode(original, false);
    for (int bit = 0; bit < 8; bit++) {
      byte[] b = original.clone();
      b[0] ^= (byte) (1 << bit);
      try {
        assertThat(MacCommandCodec.decode(b, false)).isNotEqualTo(decoded);
      } catch (LoRaWanException expected) {
        // unknown CID or a length that no longer fits
      }
    }
  }

  @Test
  void fieldValidation() {
    assertThatThrownBy(() -> new LinkADRReq(16, 0, 0, 0, 0)).isInstanceOf(LoRaWanException.class)
        .hasMessage("LinkADRReq.dataRate: expected 0..15, found 16");
    assertThatThrownBy(() -> new LinkADRReq(0, 0, 0x10000, 0, 0)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> new LinkADRReq(0, 0, 0, 8, 0)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> new DevStatusAns(0, 32)).isInstanceOf(LoRaWanException.class)
        .hasMessage("DevStatusAns.margin: expected -32..31, found 32");
    assertThatThrownBy(() -> new DevStatusAns(256, 0)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> new RXParamSetupReq(0, 0, 868_100_050L)).isInstanceOf(LoRaWanException.class)
        .hasMessageContaining("RXParamSetupReq.frequencyHz: expected a multiple of 100 Hz");
    assertThatThrownBy(() -> new NewChannelReq(0, 1_677_721_600L, 0, 0)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> new DeviceTimeAns(1L << 32, 0)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> new ForceRejoinReq(8, 0, 0, 0)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> new PingSlotInfoReq(8)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> new ResetInd(16)).isInstanceOf(LoRaWanException.class);
    List<MacCommand> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> MacCommandCodec.encode(withNull)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> MacCommandCodec.encode((MacCommand) null)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> MacCommandCodec.decode(null, true)).isInstanceOf(LoRaWanException.class);
  }

  @Test
  void payloadLengthsMatchTheSpecificationTable() {
    // (CID, uplink length, downlink length) from LoRaWAN 1.1 Table 4 and the Class B/C tables; -1 = none
    int[][] table = {
        {0x01, 1, 1}, {0x02, 0, 2}, {0x03, 1, 4}, {0x04, 0, 1}, {0x05, 1, 4}, {0x06, 2, 0}, {0x07, 1, 5},
        {0x08, 0, 1}, {0x09, 0, 1}, {0x0A, 1, 4}, {0x0B, 1, 1}, {0x0C, 0, 1}, {0x0D, 0, 5}, {0x0E, -1, 2},
        {0x0F, 1, 1}, {0x10, 1, 0}, {0x11, 1, 4}, {0x12, 0, 3}, {0x13, 1, 3}, {0x20, 1, 1}};
    for (int[] row : table) {
      assertThat(MacCommandCodec.payloadLength(row[0], true)).as("up 0x%02X", row[0]).isEqualTo(row[1]);
      assertThat(MacCommandCodec.payloadLength(row[0], false)).as("down 0x%02X", row[0]).isEqualTo(row[2]);
    }
    assertThat(MacCommandCodec.payloadLength(0x14, true)).isEqualTo(-1);
    assertThat(MacCommandCodec.payloadLength(300, true)).isEqualTo(-1);
  }
}
