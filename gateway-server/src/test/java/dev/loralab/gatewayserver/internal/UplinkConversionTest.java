package dev.loralab.gatewayserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.Message;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The uplink's Message and RxMetadata carry the frame's bytes and the shared timestamps. */
class UplinkConversionTest {

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void dataUplinkBytesAreTheFramesBytes() {
    // 40 MHDR unconfirmed data up | F17DBE49 DevAddr (LE) | 00 FCtrl | 0200 FCnt 2 | 01 FPort
    // | 95437876 FRMPayload | 2B11FF0D MIC
    byte[] raw = hex("40F17DBE490002000195437876" + "2B11FF0D");
    Message m = UplinkConversion.message(PhyPayloadCodec.decode(raw), raw);
    assertThat(m.getMacPayload().getFrmPayload())
        .isEqualTo(ByteString.copyFrom(hex("95437876")));
    assertThat(m.getMacPayload().getFHdr().getFOpts()).isEqualTo(ByteString.EMPTY);
    assertThat(m.getMic()).isEqualTo(ByteString.copyFrom(hex("2B11FF0D")));
    raw[9] = 0; // the message holds copies: the caller's array is not shared
    assertThat(m.getMacPayload().getFrmPayload())
        .isEqualTo(ByteString.copyFrom(hex("95437876")));
  }

  @Test
  void fOptsAreTheFramesBytes() throws Exception {
    // 40 MHDR | 01020304 DevAddr | 03 FCtrl (FOptsLen 3) | 0100 FCnt 1 | 020304 FOpts
    // | 0A FPort | AABB FRMPayload | 01020304 MIC
    byte[] raw = hex("4001020304030100020304" + "0AAABB" + "01020304");
    Message m = UplinkConversion.message(PhyPayloadCodec.decode(raw), raw);
    assertThat(m.getMacPayload().getFHdr().getFOpts())
        .isEqualTo(ByteString.copyFrom(hex("020304")));
    assertThat(m.getMacPayload().getFrmPayload()).isEqualTo(ByteString.copyFrom(hex("AABB")));
    assertThat(m.getMacPayload().getFPort()).isEqualTo(10);
    // equal, field by field and as bytes, to the message built from copies
    assertThat(Message.parseFrom(toBytes(m))).isEqualTo(m);
  }

  private static byte[] toBytes(Message m) {
    return m.toByteArray();
  }

  @Test
  void rxMetadataWithTheCallersTimestampEqualsTheOneMadeHere() {
    byte[] d = ("\u0002\u0012\u0034\u0000" + "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008"
        + "{\"rxpk\":[{\"tmst\":3512348611,\"time\":\"2026-01-15T10:00:00.123456Z\",\"chan\":2,"
        + "\"rfch\":0,\"freq\":868.5,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
        + "\"codr\":\"4/5\",\"lsnr\":7.8,\"rssi\":-35,\"tmms\":1000,"
        + "\"data\":\"QPF9vkkAAgABlUN4disR/w0=\"}]}").getBytes(StandardCharsets.ISO_8859_1);
    PushData p = (PushData) new SemtechUdpCodec().decode(d);
    GatewayIdentifiers ids = GatewayIdentifiers.newBuilder().setGatewayId("gw").build();
    Instant at = Instant.parse("2026-01-15T10:00:01.5Z");
    Eui64 eui = new Eui64(0x0102030405060708L);
    assertThat(UplinkConversion.rxMetadata(p.rxpk().get(0), ids, eui, at,
        UplinkConversion.timestamp(at), 3))
        .isEqualTo(UplinkConversion.rxMetadata(p.rxpk().get(0), ids, eui, at, 3));
  }
}
