package dev.loralab.benchmarks.e2e;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.FHdr;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalInt;

/**
 * Valid LoRaWAN 1.0.3 unconfirmed data uplinks of {@link BenchDevice}s (FPort 1, 4-byte payload
 * encrypted with the AppSKey, MIC with the NwkSKey; LoRaWAN 1.0.3 §4.3.3, §4.4), and Semtech UDP
 * PUSH_DATA datagrams carrying one of them (PROTOCOL.TXT §3.2–3.3). Built with {@code lorawan} only.
 */
final class UplinkFrames {

  private static final FCtrl NO_ADR = new FCtrl.Uplink(false, false, false, false);
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private UplinkFrames() {
  }

  /** DevStatusAns (LoRaWAN 1.0.3 §5.5): battery 254 (full), margin 10 dB; sent in clear FOpts. */
  private static final Bytes DEV_STATUS_ANS = Bytes.of(MacCommandCodec.encode(new MacCommand.DevStatusAns(254, 10)));

  /** The PHYPayload of device {@code d}'s uplink with 32-bit FCntUp {@code fCnt}. */
  static byte[] dataUplink(BenchDevice d, long fCnt, int payloadValue) {
    return dataUplink(d, fCnt, payloadValue, false);
  }

  /**
   * The PHYPayload of device {@code d}'s uplink with 32-bit FCntUp {@code fCnt}, answering a
   * DevStatusReq in FOpts if {@code devStatusAns}.
   */
  static byte[] dataUplink(BenchDevice d, long fCnt, int payloadValue, boolean devStatusAns) {
    byte[] plain = {(byte) (payloadValue >>> 24), (byte) (payloadValue >>> 16), (byte) (payloadValue >>> 8),
        (byte) payloadValue};
    byte[] enc = PayloadCipher.frmPayload(d.appSKey(), true, d.devAddr(), fCnt, plain);
    DataFrame f = new DataFrame(MType.UNCONFIRMED_DATA_UP, new FHdr(d.devAddr(), NO_ADR, (int) (fCnt & 0xFFFF),
        devStatusAns ? DEV_STATUS_ANS : Bytes.EMPTY),
        OptionalInt.of(1), Bytes.of(enc), new Mic(0));
    byte[] msg = PhyPayloadCodec.encodeWithoutMic(f);
    Mic mic = Mics.dataUplinkMic10(d.nwkSKey(), d.devAddr(), fCnt, msg);
    return PhyPayloadCodec.encode(f.withMic(mic));
  }

  /** The join-request of OTAA device {@code d} with {@code devNonce} (LoRaWAN 1.0.3 §6.2.4). */
  static byte[] joinRequest(BenchDevice d, int devNonce) {
    JoinRequest jr = new JoinRequest(BenchDevice.JOIN_EUI, d.joinDevEui(), new DevNonce(devNonce), new Mic(0));
    Mic mic = Mics.joinRequestMic(d.appKey(), PhyPayloadCodec.encodeWithoutMic(jr));
    return PhyPayloadCodec.encode(new JoinRequest(jr.joinEui(), jr.devEui(), jr.devNonce(), mic));
  }

  /**
   * A protocol-v2 PUSH_DATA with one {@code rxpk} (EU868 868.1 MHz, SF7BW125, CRC OK).
   *
   * @param tmstMicros the concentrator counter
   */
  static byte[] pushData(int token, long gatewayEui, byte[] phy, long tmstMicros) {
    String json = "{\"rxpk\":[{\"tmst\":" + (tmstMicros & 0xFFFFFFFFL)
        + ",\"chan\":0,\"rfch\":0,\"freq\":868.100000,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
        + "\"codr\":\"4/5\",\"lsnf\":9.5,\"rssi\":-42,\"size\":" + phy.length + ",\"data\":\""
        + B64.encodeToString(phy) + "\"}]}";
    return withHeader(0x00, token, gatewayEui, json.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The index of the benchmark device a PULL_RESP addresses if its downlink carries a
   * DevStatusReq (in FOpts, or in an FPort-0 payload encrypted with the NwkSKey), else -1.
   */
  static int devStatusRequestTarget(byte[] datagram, int length) {
    if (length < 4 || datagram[3] != 0x03) {
      return -1;
    }
    String json = new String(datagram, 4, length - 4, StandardCharsets.US_ASCII);
    int i = json.indexOf("\"data\":\"");
    if (i < 0) {
      return -1;
    }
    int start = i + 8;
    int end = json.indexOf('"', start);
    if (end < 0) {
      return -1;
    }
    try {
      PhyPayload p = PhyPayloadCodec.decode(Base64.getDecoder().decode(json.substring(start, end)));
      if (!(p instanceof DataFrame f) || f.mType().uplink()) {
        return -1;
      }
      int index = BenchDevice.indexOf(f.devAddr().value());
      if (index < 0) {
        return -1;
      }
      byte[] mac = f.fHdr().fOpts().toArray();
      if (f.fPort().isPresent() && f.fPort().getAsInt() == 0) {
        BenchDevice d = new BenchDevice(index);
        mac = PayloadCipher.frmPayload(d.nwkSKey(), false, d.devAddr(), f.fHdr().fCnt(), f.frmPayload().toArray());
      }
      for (MacCommand c : MacCommandCodec.decode(mac, false)) {
        if (c instanceof MacCommand.DevStatusReq) {
          return index;
        }
      }
    } catch (RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * The TX_ACK a protocol-v2 packet forwarder sends for a PULL_RESP it accepted (its token, no
   * error), or null if {@code datagram} is not a PULL_RESP.
   */
  static byte[] txAckFor(byte[] datagram, int length, long gatewayEui) {
    if (length < 4 || datagram[0] != 2 || datagram[3] != 0x03) {
      return null;
    }
    int token = (datagram[1] & 0xFF) << 8 | (datagram[2] & 0xFF);
    return withHeader(0x05, token, gatewayEui,
        "{\"txpk_ack\":{\"error\":\"NONE\"}}".getBytes(StandardCharsets.US_ASCII));
  }

  /** A protocol-v2 PULL_DATA (keeps the gateway's downlink path alive). */
  static byte[] pullData(int token, long gatewayEui) {
    return withHeader(0x02, token, gatewayEui, new byte[0]);
  }

  private static byte[] withHeader(int type, int token, long eui, byte[] body) {
    byte[] d = new byte[12 + body.length];
    d[0] = 2;
    d[1] = (byte) (token >>> 8);
    d[2] = (byte) token;
    d[3] = (byte) type;
    for (int i = 0; i < 8; i++) {
      d[4 + i] = (byte) (eui >>> (56 - 8 * i));
    }
    System.arraycopy(body, 0, d, 12, body.length);
    return d;
  }

  /** Gateway {@code g}'s EUI. */
  /**
   * The FCnt offset of bench device {@code device} when the fleet's counters are spread over
   * {@code spread} values (0: none). Device {@code i} sends FCnt {@code fcnt-start + offset + round}:
   * a real fleet's counters are not in step. (The network server no longer depends on it to spread
   * its periodic DevStatusReqs: it asks each device at a phase of its own.) 73 is coprime with the
   * usual spreads, so consecutive devices spread evenly.
   */
  static long fCntOffset(int device, int spread) {
    return spread <= 0 ? 0 : Math.floorMod(device * 73L, spread);
  }

  static long gatewayEui(int g) {
    return 0xB827EBFFFE000000L | g;
  }

  /** Gateway {@code g}'s source address: {@code 127.1.(g / 250).(g % 250 + 1)}, loopback on Linux. */
  static String gatewayAddress(int g) {
    if (g < 0 || g >= 250 * 256) {
      throw new IllegalArgumentException("gateway: expected 0..63999, found " + g);
    }
    return "127.1." + (g / 250) + "." + (g % 250 + 1);
  }

  /** Gateway {@code g}'s ID. */
  static String gatewayId(int g) {
    return "gw-" + g;
  }
}
