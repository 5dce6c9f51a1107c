package dev.loralab.lorawan.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact vectors in both directions. Wire strings are written with spaces between fields;
 * multi-byte integers and EUIs are little-endian on the wire, MSB-first in the values.
 */
class PhyPayloadCodecTest {

  static byte[] wire(String spaced) {
    return HexBytes.parse("test", spaced.replace(" ", ""));
  }

  static void assertBothDirections(String spaced, PhyPayload expected) {
    byte[] bytes = wire(spaced);
    assertThat(PhyPayloadCodec.decode(bytes)).isEqualTo(expected);
    assertThat(HexBytes.format(PhyPayloadCodec.encode(expected))).isEqualTo(HexBytes.format(bytes));
  }

  // ------------------------------------------------------------------ join-request

  /** lora-packet parse_test "should parse join request". */
  static final String JOIN_REQUEST =
      "00"                    // MHDR: MType 000 join-request, Major 0
      + " 39363463336913AA"   // JoinEUI AA13693363343639, LE
      + " 0569357432383133"   // DevEUI 3331383274356905, LE
      + " 8EF1"               // DevNonce F18E, LE
      + " C1D5EC6C";          // MIC

  @Test
  void joinRequest() {
    assertBothDirections(JOIN_REQUEST, new JoinRequest(Eui64.parse("AA13693363343639"),
        Eui64.parse("3331383274356905"), DevNonce.parse("F18E"), Mic.parse("C1D5EC6C")));
  }

  @Test
  void joinRequestWrongLength() {
    byte[] shortFrame = wire(JOIN_REQUEST.substring(0, JOIN_REQUEST.length() - 2));
    assertThatThrownBy(() -> PhyPayloadCodec.decode(shortFrame)).isInstanceOf(LoRaWanException.class)
        .hasMessage("JoinRequest: expected 23 bytes, found 22 bytes");
  }

  @Test
  void encodeWithoutMicIsTheMicInput() {
    JoinRequest jr = (JoinRequest) PhyPayloadCodec.decode(wire(JOIN_REQUEST));
    assertThat(HexBytes.format(PhyPayloadCodec.encodeWithoutMic(jr)))
        .isEqualTo("0039363463336913AA05693574323831338EF1");
  }

  // ------------------------------------------------------------------ join-accept

  /** brocaar ExamplePHYPayload joinAccept 1.1: clear form (macpayload_plain + MIC). */
  static final String JOIN_ACCEPT_CLEAR =
      "20"          // MHDR: MType 001 join-accept
      + " 010101"   // JoinNonce 010101, LE
      + " 020202"   // NetID 020202, LE
      + " 04030201" // DevAddr 01020304, LE
      + " 80"       // DLSettings: OptNeg 1, RX1DROffset 0, RX2DataRate 0
      + " 00"       // RxDelay: Del 0
      + " 93FF9A3A"; // MIC (plaintext)

  static final JoinAccept JOIN_ACCEPT = new JoinAccept(JoinNonce.parse("010101"), NetId.parse("020202"),
      DevAddr.parse("01020304"), new DlSettings(true, 0, 0), 0, Optional.empty(), Mic.parse("93FF9A3A"));

  @Test
  void joinAcceptClearForm() {
    assertThat(PhyPayloadCodec.decodeJoinAccept(wire(JOIN_ACCEPT_CLEAR))).isEqualTo(JOIN_ACCEPT);
    assertThat(HexBytes.format(PhyPayloadCodec.encode(JOIN_ACCEPT))).isEqualTo(JOIN_ACCEPT_CLEAR.replace(" ", ""));
    // 1.0 MIC input: MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay
    assertThat(HexBytes.format(PhyPayloadCodec.encodeWithoutMic(JOIN_ACCEPT))).isEqualTo("20010101020202040302018000");
  }

  @Test
  void joinAcceptEncryptedForm() {
    // the same join-accept as sent: MHDR | aes128_decrypt(key, plaintext)
    assertBothDirections("20 7ABEEA06B02920F11C02D0348FCF1815",
        new EncryptedJoinAccept(Bytes.parse("7ABEEA06B02920F11C02D0348FCF1815")));
    assertThatThrownBy(() -> PhyPayloadCodec.encodeWithoutMic(new EncryptedJoinAccept(Bytes.of(new byte[16]))))
        .isInstanceOf(LoRaWanException.class);
  }

  @Test
  void joinAcceptWithFrequencyCfList() {
    String clear = "20"
        + " 563412"     // JoinNonce 123456
        + " 130000"     // NetID 000013
        + " DA1B0126"   // DevAddr 26011BDA
        + " 53"         // DLSettings: OptNeg 0, RX1DROffset 5, RX2DataRate 3
        + " 05"         // RxDelay: Del 5
        + " 184F84 E85684 B85E84 886684 586E84" // 867.1 .. 867.9 MHz in 100 Hz units, LE
        + " 00"         // CFListType 0
        + " 01020304";  // MIC
    JoinAccept ja = new JoinAccept(JoinNonce.parse("123456"), NetId.parse("000013"), DevAddr.parse("26011BDA"),
        new DlSettings(false, 5, 3), 5,
        Optional.of(CfList.Frequencies.of(867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L, 867_900_000L)),
        Mic.parse("01020304"));
    assertThat(PhyPayloadCodec.decodeJoinAccept(wire(clear))).isEqualTo(ja);
    assertThat(HexBytes.format(PhyPayloadCodec.encode(ja))).isEqualTo(clear.replace(" ", ""));
  }

  @Test
  void joinAcceptWithChannelMaskCfList() {
    String clear = "20 010000 000000 00000000 00 01"
        + " FF00 0000 0000 0000 0200 0000 0000" // ChMask0 = channels 0..7, ChMask4 bit 1 = channel 65
        + " 00"        // RFU
        + " 01"        // CFListType 1
        + " AABBCCDD"; // MIC
    JoinAccept ja = PhyPayloadCodec.decodeJoinAccept(wire(clear));
    CfList.ChannelMasks masks = (CfList.ChannelMasks) ja.cfList().orElseThrow();
    assertThat(masks).isEqualTo(CfList.ChannelMasks.of(0x00FF, 0, 0, 0, 0x0002));
    assertThat(masks.enabled(7)).isTrue();
    assertThat(masks.enabled(8)).isFalse();
    assertThat(masks.enabled(65)).isTrue();
    assertThat(HexBytes.format(PhyPayloadCodec.encode(ja))).isEqualTo(clear.replace(" ", ""));
  }

  @Test
  void joinAcceptCorruption() {
    // CFListType 2 is RFU
    byte[] badType = wire("20 010000 000000 00000000 00 01 000000000000000000000000000000 02 AABBCCDD");
    assertThatThrownBy(() -> PhyPayloadCodec.decodeJoinAccept(badType)).isInstanceOf(LoRaWanException.class)
        .hasMessage("CFList.CFListType: expected 0 (frequencies) or 1 (channel masks), found 2");
    // body of 31 bytes (lora-packet's "major 3" example has one byte too few)
    byte[] shortBody = wire("20105EAFD15E04A62872C97F821955A1B75420F0FFCC20CF999347E18AA8A235");
    assertThatThrownBy(() -> PhyPayloadCodec.decode(shortBody)).isInstanceOf(LoRaWanException.class)
        .hasMessage("JoinAccept: expected 17 or 33 bytes, found 32 bytes");
    assertThatThrownBy(() -> PhyPayloadCodec.decodeJoinAccept(shortBody)).isInstanceOf(LoRaWanException.class);
    // the same frame with its real MHDR 0x33: Major 3 is not LoRaWAN R1
    byte[] major3 = wire("33105EAFD15E04A62872C97F821955A1B75420F0FFCC20CF999347E18AA8A235");
    assertThatThrownBy(() -> PhyPayloadCodec.decode(major3)).isInstanceOf(LoRaWanException.class)
        .hasMessage("MHDR.Major: expected 0 (LoRaWAN R1), found 3");
    // a data frame handed to the join-accept decoder
    assertThatThrownBy(() -> PhyPayloadCodec.decodeJoinAccept(wire("40" + "00".repeat(16))))
        .isInstanceOf(LoRaWanException.class).hasMessage("MHDR.MType: expected JOIN_ACCEPT, found UNCONFIRMED_DATA_UP");
  }

  // ------------------------------------------------------------------ data messages

  /** brocaar ExamplePHYPayload_lorawan10Encode: confirmed uplink with a MAC command in FOpts. */
  static final String CONFIRMED_UP =
      "80"          // MHDR: MType 100 confirmed data up
      + " 04030201" // DevAddr 01020304, LE
      + " 03"       // FCtrl: ADR 0, ADRACKReq 0, ACK 0, ClassB 0, FOptsLen 3
      + " 0000"     // FCnt 0, LE
      + " 067307"   // FOpts: DevStatusAns battery 115, margin 7
      + " 0A"       // FPort 10
      + " E264D4F7" // FRMPayload (encrypted)
      + " E117D2C0"; // MIC

  @Test
  void confirmedUplinkWithFOpts() {
    assertBothDirections(CONFIRMED_UP, new DataFrame(MType.CONFIRMED_DATA_UP,
        new FHdr(DevAddr.parse("01020304"), new FCtrl.Uplink(false, false, false, false), 0, Bytes.parse("067307")),
        OptionalInt.of(10), Bytes.parse("E264D4F7"), Mic.parse("E117D2C0")));
  }

  @Test
  void unconfirmedDownlinkWithFOpts() {
    // brocaar ExamplePHYPayload_lorawan11EncryptedFoptsEncode
    assertBothDirections("60"   // MHDR: unconfirmed data down
        + " 04030201"           // DevAddr 01020304
        + " 03"                 // FCtrl: ADR 0, ACK 0, FPending 0, FOptsLen 3
        + " 0000"               // FCnt 0
        + " 22AC0A"             // FOpts, encrypted (1.1)
        + " 01"                 // FPort 1
        + " F0B468DD"           // FRMPayload
        + " AA5ED13A",          // MIC
        new DataFrame(MType.UNCONFIRMED_DATA_DOWN,
            new FHdr(DevAddr.parse("01020304"), new FCtrl.Downlink(false, false, false), 0, Bytes.parse("22AC0A")),
            OptionalInt.of(1), Bytes.parse("F0B468DD"), Mic.parse("AA5ED13A")));
  }

  @Test
  void uplinkFlags() {
    // brocaar TestPHYPayloadMACPayloadLoRaWAN11 "FRMPayload data with ACK"
    assertBothDirections("40 04030201"
        + " A0"         // FCtrl: ADR 1, ADRACKReq 0, ACK 1, ClassB 0, FOptsLen 0
        + " 0100"       // FCnt 1
        + " 01"         // FPort 1
        + " A694642615" // FRMPayload "hello", encrypted
        + " F842C4B9",  // MIC
        new DataFrame(MType.UNCONFIRMED_DATA_UP,
            new FHdr(DevAddr.parse("01020304"), new FCtrl.Uplink(true, false, true, false), 1),
            OptionalInt.of(1), Bytes.parse("A694642615"), Mic.parse("F842C4B9")));
    // every uplink flag set: ADR, ADRACKReq, ACK, ClassB
    assertBothDirections("40 04030201 F0 FFFF 11223344",
        new DataFrame(MType.UNCONFIRMED_DATA_UP,
            new FHdr(DevAddr.parse("01020304"), new FCtrl.Uplink(true, true, true, true), 0xFFFF),
            OptionalInt.empty(), Bytes.EMPTY, Mic.parse("11223344")));
  }

  @Test
  void downlinkFlags() {
    // ADR, ACK and FPending set; bit 6 is RFU on downlinks and ignored
    DataFrame expected = new DataFrame(MType.CONFIRMED_DATA_DOWN,
        new FHdr(DevAddr.parse("01020304"), new FCtrl.Downlink(true, true, true), 0x1234),
        OptionalInt.empty(), Bytes.EMPTY, Mic.parse("11223344"));
    assertBothDirections("A0 04030201 B0 3412 11223344", expected);
    assertThat(PhyPayloadCodec.decode(wire("A0 04030201 F0 3412 11223344"))).isEqualTo(expected);
  }

  @Test
  void fPortWithoutPayloadAndNoFPortAtAll() {
    // lora-packet mic_test "empty payload": FPort 1 present, FRMPayload empty
    assertBothDirections("40 F17DBE49 00 0300 01 2A3518AF", new DataFrame(MType.UNCONFIRMED_DATA_UP,
        new FHdr(DevAddr.parse("49BE7DF1"), new FCtrl.Uplink(false, false, false, false), 3),
        OptionalInt.of(1), Bytes.EMPTY, Mic.parse("2A3518AF")));
    // neither FPort nor FRMPayload
    assertBothDirections("40 F17DBE49 00 0300 2A3518AF", new DataFrame(MType.UNCONFIRMED_DATA_UP,
        new FHdr(DevAddr.parse("49BE7DF1"), new FCtrl.Uplink(false, false, false, false), 3),
        OptionalInt.empty(), Bytes.EMPTY, Mic.parse("2A3518AF")));
  }

  @Test
  void dataFrameCorruption() {
    // FOptsLen bit 3 flipped: 11 FOpts bytes claimed, 8 available after FHDR and before the MIC
    byte[] b = wire(CONFIRMED_UP);
    b[5] ^= 0x08;
    assertThatThrownBy(() -> PhyPayloadCodec.decode(b)).isInstanceOf(LoRaWanException.class)
        .hasMessage("FHDR.FOptsLen: expected at most 8 bytes available, found 11");
    assertThatThrownBy(() -> PhyPayloadCodec.decode(wire("40 04030201 00 00 112233")))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("DataFrame: expected at least 12 bytes (MHDR, FHDR, MIC), found 10 bytes");
    // MType bit 7 flipped: a 20-byte data frame read as a join-request
    byte[] c = wire(CONFIRMED_UP);
    c[0] ^= (byte) 0x80;
    assertThatThrownBy(() -> PhyPayloadCodec.decode(c)).isInstanceOf(LoRaWanException.class)
        .hasMessage("JoinRequest: expected 23 bytes, found 20 bytes");
  }

  @Test
  void macCommandsInBothFOptsAndPort0AreFlagged() {
    DataFrame both = (DataFrame) PhyPayloadCodec.decode(wire("40 04030201 03 0000 020305 00 0B01 11223344"));
    assertThat(both.hasMacCommandsInFOptsAndFrmPayload()).isTrue();
    assertThat(((DataFrame) PhyPayloadCodec.decode(wire(CONFIRMED_UP))).hasMacCommandsInFOptsAndFrmPayload()).isFalse();
    assertThat(((DataFrame) PhyPayloadCodec.decode(wire("40 04030201 00 0000 00 0B01 11223344")))
        .hasMacCommandsInFOptsAndFrmPayload()).isFalse();
  }

  @Test
  void dataFrameValidation() {
    FHdr up = new FHdr(DevAddr.parse("01020304"), new FCtrl.Uplink(false, false, false, false), 0);
    assertThatThrownBy(() -> new DataFrame(MType.UNCONFIRMED_DATA_DOWN, up, OptionalInt.empty(), Bytes.EMPTY, new Mic(0)))
        .isInstanceOf(LoRaWanException.class).hasMessageContaining("FHDR.FCtrl: expected downlink flags");
    assertThatThrownBy(() -> new DataFrame(MType.UNCONFIRMED_DATA_UP, up, OptionalInt.empty(), Bytes.parse("01"), new Mic(0)))
        .isInstanceOf(LoRaWanException.class).hasMessage("FPort: expected present when FRMPayload is not empty, found absent");
    assertThatThrownBy(() -> new DataFrame(MType.JOIN_REQUEST, up, OptionalInt.empty(), Bytes.EMPTY, new Mic(0)))
        .isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> new DataFrame(MType.UNCONFIRMED_DATA_UP, up, OptionalInt.of(256), Bytes.EMPTY, new Mic(0)))
        .isInstanceOf(LoRaWanException.class).hasMessage("FPort: expected 0..255, found 256");
    assertThatThrownBy(() -> new FHdr(DevAddr.parse("01020304"), new FCtrl.Uplink(false, false, false, false), 0,
        Bytes.of(new byte[16]))).isInstanceOf(LoRaWanException.class).hasMessage("FHDR.FOpts: expected at most 15 bytes, found 16 bytes");
    assertThatThrownBy(() -> new FHdr(DevAddr.parse("01020304"), new FCtrl.Uplink(false, false, false, false), 65536))
        .isInstanceOf(LoRaWanException.class);
  }

  // ------------------------------------------------------------------ rejoin-request

  @Test
  void rejoinType0And2() {
    // TTN TestComputeRejoinRequestMIC type 0
    assertBothDirections("C0"   // MHDR: MType 110 rejoin-request
        + " 00"                 // RejoinType 0
        + " 030201"             // NetID 010203, LE
        + " 0807060504030201"   // DevEUI 0102030405060708, LE
        + " 0201"               // RJcount0 0x0102, LE
        + " 11DA47BD",          // MIC
        new RejoinRequestType02(0, NetId.parse("010203"), Eui64.parse("0102030405060708"), 0x0102, Mic.parse("11DA47BD")));
    assertBothDirections("C0 02 030201 0807060504030201 0201 2B459CF0",
        new RejoinRequestType02(2, NetId.parse("010203"), Eui64.parse("0102030405060708"), 0x0102, Mic.parse("2B459CF0")));
  }

  @Test
  void rejoinType1() {
    // brocaar rejoin-request type 1
    assertBothDirections("C0"   // MHDR
        + " 01"                 // RejoinType 1
        + " 0807060504030201"   // JoinEUI 0102030405060708, LE
        + " 100F0E0D0C0B0A09"   // DevEUI 090A0B0C0D0E0F10, LE
        + " DB00"               // RJcount1 219, LE
        + " EAC31072",          // MIC
        new RejoinRequestType1(Eui64.parse("0102030405060708"), Eui64.parse("090A0B0C0D0E0F10"), 219, Mic.parse("EAC31072")));
  }

  @Test
  void rejoinCorruption() {
    assertThatThrownBy(() -> PhyPayloadCodec.decode(wire("C0 04 030201 0807060504030201 0201 2B459CF0")))
        .isInstanceOf(LoRaWanException.class).hasMessage("RejoinRequest.RejoinType: expected 0, 1 or 2, found 4");
    // type byte 0 -> 1 changes the expected length
    assertThatThrownBy(() -> PhyPayloadCodec.decode(wire("C0 01 030201 0807060504030201 0201 2B459CF0")))
        .isInstanceOf(LoRaWanException.class).hasMessage("RejoinRequest(type 1): expected 24 bytes, found 19 bytes");
    assertThatThrownBy(() -> PhyPayloadCodec.decode(wire("C0"))).isInstanceOf(LoRaWanException.class)
        .hasMessage("RejoinRequest.RejoinType: expected 1 byte, found 0 bytes");
  }

  // ------------------------------------------------------------------ proprietary

  @Test
  void proprietary() {
    // brocaar ExamplePHYPayload_proprietaryEncode
    assertBothDirections("E0"  // MHDR: MType 111 proprietary
        + " 05060708090A"      // payload
        + " 01020304",         // last 4 bytes taken as MIC
        new Proprietary(Bytes.parse("05060708090A"), Mic.parse("01020304")));
    assertBothDirections("E0 01020304", new Proprietary(Bytes.EMPTY, Mic.parse("01020304")));
    assertThatThrownBy(() -> PhyPayloadCodec.decode(wire("E0 010203"))).isInstanceOf(LoRaWanException.class)
        .hasMessage("Proprietary: expected at least 5 bytes (MHDR, MIC), found 4 bytes");
  }

  // ------------------------------------------------------------------ general

  @Test
  void sizeLimits() {
    assertThatThrownBy(() -> PhyPayloadCodec.decode(new byte[0])).isInstanceOf(LoRaWanException.class)
        .hasMessage("PHYPayload: expected at least 1 byte (MHDR), found 0 bytes");
    assertThatThrownBy(() -> PhyPayloadCodec.decode(null)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> PhyPayloadCodec.decode(new byte[256])).isInstanceOf(LoRaWanException.class)
        .hasMessage("PHYPayload: expected at most 255 bytes, found 256 bytes");
    assertThatThrownBy(() -> PhyPayloadCodec.decode(wire(CONFIRMED_UP), 19)).isInstanceOf(LoRaWanException.class)
        .hasMessage("PHYPayload: expected at most 19 bytes, found 20 bytes");
    DataFrame big = new DataFrame(MType.UNCONFIRMED_DATA_UP,
        new FHdr(DevAddr.parse("01020304"), new FCtrl.Uplink(false, false, false, false), 0),
        OptionalInt.of(1), Bytes.of(new byte[243]), new Mic(0));
    assertThatThrownBy(() -> PhyPayloadCodec.encode(big)).isInstanceOf(LoRaWanException.class)
        .hasMessage("PHYPayload: expected at most 255 bytes, found 256 bytes");
  }

  /**
   * Every single-bit flip of each vector either fails with the domain exception or decodes to a
   * different frame; only RFU bits (MHDR bits 4..2, downlink FCtrl bit 6) decode to the same frame.
   */
  @Test
  void everyOneBitCorruptionIsDetectedOrIsAnRfuBit() {
    String[] vectors = {JOIN_REQUEST, CONFIRMED_UP, "60 04030201 03 0000 22AC0A 01 F0B468DD AA5ED13A",
        "C0 00 030201 0807060504030201 0201 11DA47BD", "C0 01 0807060504030201 100F0E0D0C0B0A09 DB00 EAC31072",
        "E0 05060708090A 01020304", "20 7ABEEA06B02920F11C02D0348FCF1815"};
    for (String v : vectors) {
      byte[] original = wire(v);
      PhyPayload decoded = PhyPayloadCodec.decode(original);
      Set<Integer> unchanged = new TreeSet<>();
      for (int bit = 0; bit < original.length * 8; bit++) {
        byte[] b = original.clone();
        b[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
        try {
          if (PhyPayloadCodec.decode(b).equals(decoded)) {
            unchanged.add(bit);
          }
        } catch (LoRaWanException expected) {
          // detected
        }
      }
      Set<Integer> rfu = new TreeSet<>(Set.of(3, 4, 5)); // MHDR bits 4..2 (bit 0 = MSB of byte 0)
      if (decoded instanceof DataFrame df && !df.uplink()) {
        rfu.add(5 * 8 + 1); // FCtrl bit 6
      }
      assertThat(unchanged).as(v).isEqualTo(rfu);
    }
  }
}
