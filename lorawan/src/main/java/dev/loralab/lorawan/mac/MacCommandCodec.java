package dev.loralab.lorawan.mac;

import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.internal.FrequencyField;
import dev.loralab.lorawan.mac.MacCommand.ADRParamSetupAns;
import dev.loralab.lorawan.mac.MacCommand.ADRParamSetupReq;
import dev.loralab.lorawan.mac.MacCommand.BeaconFreqAns;
import dev.loralab.lorawan.mac.MacCommand.BeaconFreqReq;
import dev.loralab.lorawan.mac.MacCommand.BeaconTimingAns;
import dev.loralab.lorawan.mac.MacCommand.BeaconTimingReq;
import dev.loralab.lorawan.mac.MacCommand.DevStatusAns;
import dev.loralab.lorawan.mac.MacCommand.DevStatusReq;
import dev.loralab.lorawan.mac.MacCommand.DeviceModeConf;
import dev.loralab.lorawan.mac.MacCommand.DeviceModeInd;
import dev.loralab.lorawan.mac.MacCommand.DeviceTimeAns;
import dev.loralab.lorawan.mac.MacCommand.DeviceTimeReq;
import dev.loralab.lorawan.mac.MacCommand.DlChannelAns;
import dev.loralab.lorawan.mac.MacCommand.DlChannelReq;
import dev.loralab.lorawan.mac.MacCommand.DutyCycleAns;
import dev.loralab.lorawan.mac.MacCommand.DutyCycleReq;
import dev.loralab.lorawan.mac.MacCommand.ForceRejoinReq;
import dev.loralab.lorawan.mac.MacCommand.LinkADRAns;
import dev.loralab.lorawan.mac.MacCommand.LinkADRReq;
import dev.loralab.lorawan.mac.MacCommand.LinkCheckAns;
import dev.loralab.lorawan.mac.MacCommand.LinkCheckReq;
import dev.loralab.lorawan.mac.MacCommand.NewChannelAns;
import dev.loralab.lorawan.mac.MacCommand.NewChannelReq;
import dev.loralab.lorawan.mac.MacCommand.PingSlotChannelAns;
import dev.loralab.lorawan.mac.MacCommand.PingSlotChannelReq;
import dev.loralab.lorawan.mac.MacCommand.PingSlotInfoAns;
import dev.loralab.lorawan.mac.MacCommand.PingSlotInfoReq;
import dev.loralab.lorawan.mac.MacCommand.RXParamSetupAns;
import dev.loralab.lorawan.mac.MacCommand.RXParamSetupReq;
import dev.loralab.lorawan.mac.MacCommand.RXTimingSetupAns;
import dev.loralab.lorawan.mac.MacCommand.RXTimingSetupReq;
import dev.loralab.lorawan.mac.MacCommand.RejoinParamSetupAns;
import dev.loralab.lorawan.mac.MacCommand.RejoinParamSetupReq;
import dev.loralab.lorawan.mac.MacCommand.RekeyConf;
import dev.loralab.lorawan.mac.MacCommand.RekeyInd;
import dev.loralab.lorawan.mac.MacCommand.ResetConf;
import dev.loralab.lorawan.mac.MacCommand.ResetInd;
import dev.loralab.lorawan.mac.MacCommand.TxParamSetupAns;
import dev.loralab.lorawan.mac.MacCommand.TxParamSetupReq;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Encodes and decodes sequences of MAC commands, as carried in FOpts or in an FPort-0
 * FRMPayload (LoRaWAN 1.1 §5). Pure functions. Payload lengths are implicit in the CID and the
 * direction; the first unknown CID stops parsing with an error naming its byte offset.
 */
public final class MacCommandCodec {

  /** Payload layout of one command: CID, direction, length, and its two pure conversions. */
  private record Layout(String name, int cid, boolean uplink, int length,
      Function<byte[], MacCommand> decoder, BiConsumer<MacCommand, byte[]> encoder) {}

  private static final Layout[] UPLINK = new Layout[256];
  private static final Layout[] DOWNLINK = new Layout[256];
  private static final Map<Class<?>, Layout> BY_CLASS = new HashMap<>();

  static {
    // §5.1 Reset
    register(ResetInd.class, ResetInd.CID, true, 1, p -> new ResetInd(p[0] & 0x0F), (c, p) -> p[0] = (byte) c.minor());
    register(ResetConf.class, ResetConf.CID, false, 1, p -> new ResetConf(p[0] & 0x0F), (c, p) -> p[0] = (byte) c.minor());
    // §5.2 LinkCheck
    register(LinkCheckReq.class, LinkCheckReq.CID, true, 0, p -> new LinkCheckReq(), (c, p) -> { });
    register(LinkCheckAns.class, LinkCheckAns.CID, false, 2, p -> new LinkCheckAns(p[0] & 0xFF, p[1] & 0xFF), (c, p) -> {
      p[0] = (byte) c.margin();
      p[1] = (byte) c.gwCnt();
    });
    // §5.3 LinkADR: DataRate_TXPower | ChMask(2, LE) | Redundancy
    register(LinkADRReq.class, LinkADRReq.CID, false, 4,
        p -> new LinkADRReq((p[0] >>> 4) & 0x0F, p[0] & 0x0F, u16(p, 1), (p[3] >>> 4) & 0x07, p[3] & 0x0F), (c, p) -> {
          p[0] = (byte) (c.dataRate() << 4 | c.txPower());
          p[1] = (byte) c.chMask();
          p[2] = (byte) (c.chMask() >>> 8);
          p[3] = (byte) (c.chMaskCntl() << 4 | c.nbTrans());
        });
    register(LinkADRAns.class, LinkADRAns.CID, true, 1, p -> new LinkADRAns(bit(p[0], 2), bit(p[0], 1), bit(p[0], 0)),
        (c, p) -> p[0] = bits(c.powerAck(), c.dataRateAck(), c.channelMaskAck()));
    // §5.4 DutyCycle
    register(DutyCycleReq.class, DutyCycleReq.CID, false, 1, p -> new DutyCycleReq(p[0] & 0x0F),
        (c, p) -> p[0] = (byte) c.maxDutyCycle());
    register(DutyCycleAns.class, DutyCycleAns.CID, true, 0, p -> new DutyCycleAns(), (c, p) -> { });
    // §5.5 RXParamSetup: DLsettings | Frequency(3)
    register(RXParamSetupReq.class, RXParamSetupReq.CID, false, 4,
        p -> new RXParamSetupReq((p[0] >>> 4) & 0x07, p[0] & 0x0F, FrequencyField.read(p, 1)), (c, p) -> {
          p[0] = (byte) (c.rx1DrOffset() << 4 | c.rx2DataRate());
          FrequencyField.write(c.frequencyHz(), p, 1);
        });
    register(RXParamSetupAns.class, RXParamSetupAns.CID, true, 1,
        p -> new RXParamSetupAns(bit(p[0], 2), bit(p[0], 1), bit(p[0], 0)),
        (c, p) -> p[0] = bits(c.rx1DrOffsetAck(), c.rx2DataRateAck(), c.channelAck()));
    // §5.6 DevStatus: Battery | Margin (6-bit signed)
    register(DevStatusReq.class, DevStatusReq.CID, false, 0, p -> new DevStatusReq(), (c, p) -> { });
    register(DevStatusAns.class, DevStatusAns.CID, true, 2,
        p -> new DevStatusAns(p[0] & 0xFF, ((p[1] & 0x3F) << 26) >> 26), (c, p) -> {
          p[0] = (byte) c.battery();
          p[1] = (byte) (c.margin() & 0x3F);
        });
    // §5.7 NewChannel: ChIndex | Freq(3) | DrRange
    register(NewChannelReq.class, NewChannelReq.CID, false, 5,
        p -> new NewChannelReq(p[0] & 0xFF, FrequencyField.read(p, 1), (p[4] >>> 4) & 0x0F, p[4] & 0x0F), (c, p) -> {
          p[0] = (byte) c.chIndex();
          FrequencyField.write(c.frequencyHz(), p, 1);
          p[4] = (byte) (c.maxDr() << 4 | c.minDr());
        });
    register(NewChannelAns.class, NewChannelAns.CID, true, 1, p -> new NewChannelAns(bit(p[0], 1), bit(p[0], 0)),
        (c, p) -> p[0] = bits(c.dataRateRangeOk(), c.channelFrequencyOk()));
    // §5.8 RXTimingSetup
    register(RXTimingSetupReq.class, RXTimingSetupReq.CID, false, 1, p -> new RXTimingSetupReq(p[0] & 0x0F),
        (c, p) -> p[0] = (byte) c.delay());
    register(RXTimingSetupAns.class, RXTimingSetupAns.CID, true, 0, p -> new RXTimingSetupAns(), (c, p) -> { });
    // §5.9 TxParamSetup: RFU(2) | DownlinkDwellTime | UplinkDwellTime | MaxEIRP(4)
    register(TxParamSetupReq.class, TxParamSetupReq.CID, false, 1,
        p -> new TxParamSetupReq(bit(p[0], 5), bit(p[0], 4), p[0] & 0x0F),
        (c, p) -> p[0] = (byte) ((c.downlinkDwellTime() ? 0x20 : 0) | (c.uplinkDwellTime() ? 0x10 : 0) | c.maxEirp()));
    register(TxParamSetupAns.class, TxParamSetupAns.CID, true, 0, p -> new TxParamSetupAns(), (c, p) -> { });
    // DlChannel: ChIndex | Freq(3)
    register(DlChannelReq.class, DlChannelReq.CID, false, 4, p -> new DlChannelReq(p[0] & 0xFF, FrequencyField.read(p, 1)),
        (c, p) -> {
          p[0] = (byte) c.chIndex();
          FrequencyField.write(c.frequencyHz(), p, 1);
        });
    register(DlChannelAns.class, DlChannelAns.CID, true, 1, p -> new DlChannelAns(bit(p[0], 1), bit(p[0], 0)),
        (c, p) -> p[0] = bits(c.uplinkFrequencyExists(), c.channelFrequencyOk()));
    // Rekey
    register(RekeyInd.class, RekeyInd.CID, true, 1, p -> new RekeyInd(p[0] & 0x0F), (c, p) -> p[0] = (byte) c.minor());
    register(RekeyConf.class, RekeyConf.CID, false, 1, p -> new RekeyConf(p[0] & 0x0F), (c, p) -> p[0] = (byte) c.minor());
    // ADRParamSetup: Limit_exp(4) | Delay_exp(4)
    register(ADRParamSetupReq.class, ADRParamSetupReq.CID, false, 1,
        p -> new ADRParamSetupReq((p[0] >>> 4) & 0x0F, p[0] & 0x0F), (c, p) -> p[0] = (byte) (c.limitExp() << 4 | c.delayExp()));
    register(ADRParamSetupAns.class, ADRParamSetupAns.CID, true, 0, p -> new ADRParamSetupAns(), (c, p) -> { });
    // DeviceTime: seconds since GPS epoch (uint32 LE) | fraction (1/256 s)
    register(DeviceTimeReq.class, DeviceTimeReq.CID, true, 0, p -> new DeviceTimeReq(), (c, p) -> { });
    register(DeviceTimeAns.class, DeviceTimeAns.CID, false, 5,
        p -> new DeviceTimeAns((u16(p, 0) | (long) u16(p, 2) << 16), p[4] & 0xFF), (c, p) -> {
          long s = c.gpsSeconds();
          p[0] = (byte) s;
          p[1] = (byte) (s >>> 8);
          p[2] = (byte) (s >>> 16);
          p[3] = (byte) (s >>> 24);
          p[4] = (byte) c.fractionalSecond();
        });
    // ForceRejoinReq: 16 bits LE = RFU(2) | Period(3) | Max_Retries(3) | RFU(1) | RejoinType(3) | DR(4)
    register(ForceRejoinReq.class, ForceRejoinReq.CID, false, 2, p -> {
      int v = u16(p, 0);
      return new ForceRejoinReq((v >>> 11) & 0x07, (v >>> 8) & 0x07, (v >>> 4) & 0x07, v & 0x0F);
    }, (c, p) -> {
      int v = c.period() << 11 | c.maxRetries() << 8 | c.rejoinType() << 4 | c.dataRate();
      p[0] = (byte) v;
      p[1] = (byte) (v >>> 8);
    });
    // RejoinParamSetup: MaxTimeN(4) | MaxCountN(4)
    register(RejoinParamSetupReq.class, RejoinParamSetupReq.CID, false, 1,
        p -> new RejoinParamSetupReq((p[0] >>> 4) & 0x0F, p[0] & 0x0F), (c, p) -> p[0] = (byte) (c.maxTimeN() << 4 | c.maxCountN()));
    register(RejoinParamSetupAns.class, RejoinParamSetupAns.CID, true, 1, p -> new RejoinParamSetupAns(bit(p[0], 0)),
        (c, p) -> p[0] = bits(c.timeOk()));
    // Class B §14
    register(PingSlotInfoReq.class, PingSlotInfoReq.CID, true, 1, p -> new PingSlotInfoReq(p[0] & 0x07),
        (c, p) -> p[0] = (byte) c.periodicity());
    register(PingSlotInfoAns.class, PingSlotInfoAns.CID, false, 0, p -> new PingSlotInfoAns(), (c, p) -> { });
    register(PingSlotChannelReq.class, PingSlotChannelReq.CID, false, 4,
        p -> new PingSlotChannelReq(FrequencyField.read(p, 0), p[3] & 0x0F), (c, p) -> {
          FrequencyField.write(c.frequencyHz(), p, 0);
          p[3] = (byte) c.dataRate();
        });
    register(PingSlotChannelAns.class, PingSlotChannelAns.CID, true, 1,
        p -> new PingSlotChannelAns(bit(p[0], 1), bit(p[0], 0)), (c, p) -> p[0] = bits(c.dataRateOk(), c.channelFrequencyOk()));
    register(BeaconTimingReq.class, BeaconTimingReq.CID, true, 0, p -> new BeaconTimingReq(), (c, p) -> { });
    register(BeaconTimingAns.class, BeaconTimingAns.CID, false, 3, p -> new BeaconTimingAns(u16(p, 0), p[2] & 0xFF),
        (c, p) -> {
          p[0] = (byte) c.delay();
          p[1] = (byte) (c.delay() >>> 8);
          p[2] = (byte) c.channel();
        });
    register(BeaconFreqReq.class, BeaconFreqReq.CID, false, 3, p -> new BeaconFreqReq(FrequencyField.read(p, 0)),
        (c, p) -> FrequencyField.write(c.frequencyHz(), p, 0));
    register(BeaconFreqAns.class, BeaconFreqAns.CID, true, 1, p -> new BeaconFreqAns(bit(p[0], 0)),
        (c, p) -> p[0] = bits(c.beaconFrequencyOk()));
    // Class C §18
    register(DeviceModeInd.class, DeviceModeInd.CID, true, 1, p -> new DeviceModeInd(p[0] & 0xFF),
        (c, p) -> p[0] = (byte) c.deviceClass());
    register(DeviceModeConf.class, DeviceModeConf.CID, false, 1, p -> new DeviceModeConf(p[0] & 0xFF),
        (c, p) -> p[0] = (byte) c.deviceClass());
  }

  private MacCommandCodec() {}

  /**
   * Decodes a sequence of MAC commands.
   *
   * @param bytes FOpts or a decrypted FPort-0 FRMPayload
   * @param uplink true for commands sent by the end device
   * @return the commands in order
   * @throws LoRaWanException at the first unknown CID or truncated payload, naming the byte offset
   */
  public static List<MacCommand> decode(byte[] bytes, boolean uplink) {
    if (bytes == null) {
      throw new LoRaWanException("MACCommands", "bytes", "null");
    }
    Layout[] table = uplink ? UPLINK : DOWNLINK;
    List<MacCommand> out = new ArrayList<>();
    int i = 0;
    while (i < bytes.length) {
      int cid = bytes[i] & 0xFF;
      Layout l = table[cid];
      if (l == null) {
        throw new LoRaWanException("MACCommand[byte " + i + "].CID",
            "a known " + (uplink ? "uplink" : "downlink") + " CID", String.format("0x%02X", cid));
      }
      int available = bytes.length - i - 1;
      if (available < l.length()) {
        throw new LoRaWanException("MACCommand[byte " + i + "]." + l.name(), l.length() + " payload bytes",
            available + " bytes");
      }
      byte[] payload = new byte[l.length()];
      System.arraycopy(bytes, i + 1, payload, 0, l.length());
      out.add(l.decoder().apply(payload));
      i += 1 + l.length();
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Encodes a sequence of MAC commands, each as {@code CID | payload}.
   *
   * @throws LoRaWanException if the list or an element is null
   */
  public static byte[] encode(List<? extends MacCommand> commands) {
    if (commands == null) {
      throw new LoRaWanException("MACCommands", "a list", "null");
    }
    int size = 0;
    for (MacCommand c : commands) {
      size += 1 + layout(c).length();
    }
    byte[] out = new byte[size];
    int i = 0;
    for (MacCommand c : commands) {
      Layout l = layout(c);
      byte[] payload = new byte[l.length()];
      l.encoder().accept(c, payload);
      out[i] = (byte) l.cid();
      System.arraycopy(payload, 0, out, i + 1, payload.length);
      i += 1 + payload.length;
    }
    return out;
  }

  /** Encodes one command as {@code CID | payload}. */
  public static byte[] encode(MacCommand command) {
    layout(command); // rejects null before List.of would
    return encode(List.of(command));
  }

  /** Encoded length of a command including the CID byte. */
  public static int encodedLength(MacCommand command) {
    return 1 + layout(command).length();
  }

  /**
   * Payload length (without the CID) of a command, or -1 if the CID is unknown in that direction.
   */
  public static int payloadLength(int cid, boolean uplink) {
    if (cid < 0 || cid > 255) {
      return -1;
    }
    Layout l = (uplink ? UPLINK : DOWNLINK)[cid];
    return l == null ? -1 : l.length();
  }

  private static Layout layout(MacCommand c) {
    if (c == null) {
      throw new LoRaWanException("MACCommand", "a command", "null");
    }
    return BY_CLASS.get(c.getClass());
  }

  @SuppressWarnings("unchecked")
  private static <T extends MacCommand> void register(Class<T> type, int cid, boolean uplink, int length,
      Function<byte[], T> decoder, BiConsumer<T, byte[]> encoder) {
    Layout l = new Layout(type.getSimpleName(), cid, uplink, length, decoder::apply,
        (c, p) -> encoder.accept((T) c, p));
    (uplink ? UPLINK : DOWNLINK)[cid] = l;
    BY_CLASS.put(type, l);
  }

  private static int u16(byte[] p, int off) {
    return (p[off] & 0xFF) | (p[off + 1] & 0xFF) << 8;
  }

  private static boolean bit(byte b, int n) {
    return (b & (1 << n)) != 0;
  }

  /** Packs booleans MSB-first into the low bits: bits(a, b, c) = a<<2 | b<<1 | c. */
  private static byte bits(boolean... flags) {
    int v = 0;
    for (boolean f : flags) {
      v = v << 1 | (f ? 1 : 0);
    }
    return (byte) v;
  }
}
