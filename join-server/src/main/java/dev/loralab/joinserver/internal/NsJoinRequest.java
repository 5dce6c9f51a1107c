package dev.loralab.joinserver.internal;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.CFList;
import dev.loralab.api.v3.CFListType;
import dev.loralab.api.v3.DLSettings;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.joinserver.JoinRejectReason;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.frame.CfList;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A validated {@code ttn.lorawan.v3.JoinRequest} from the Network Server. The raw PHYPayload is
 * authoritative (the decoded {@code payload} field is ignored).
 *
 * @param raw the join-request PHYPayload as received
 * @param frame the decoded join-request
 * @param devAddr the DevAddr the Network Server allocated
 * @param netId the home NetID
 * @param selectedMacVersion the version the Network Server selected, if set
 * @param rx1DrOffset DLSettings RX1DROffset, 0..7
 * @param rx2DataRate DLSettings RX2DataRate, 0..15
 * @param rxDelay RxDelay, 0..15
 * @param cfList the CFList to send, if any
 * @param correlationIds the Network Server's correlation IDs
 */
public record NsJoinRequest(Bytes raw, JoinRequest frame, DevAddr devAddr, NetId netId,
    Optional<MacVersion> selectedMacVersion, int rx1DrOffset, int rx2DataRate, int rxDelay,
    Optional<CfList> cfList, List<String> correlationIds) {

  private static final int CH_MASK_BITS = 16;

  /** Copies the list. */
  public NsJoinRequest {
    correlationIds = List.copyOf(correlationIds);
  }

  /** The PHYPayload without its MIC: the join-request MIC input. */
  public byte[] rawWithoutMic() {
    byte[] b = raw.toArray();
    return Arrays.copyOf(b, b.length - Mic.SIZE);
  }

  /**
   * Validates a JoinRequest message.
   *
   * @throws JoinRejection with reason MALFORMED_REQUEST naming the field
   */
  public static NsJoinRequest parse(dev.loralab.api.v3.JoinRequest req) {
    if (req == null) {
      throw malformed("JoinRequest", "a message", "null");
    }
    ByteString raw = req.getRawPayload();
    // size first: a join-request PHYPayload has exactly 23 bytes (LoRaWAN 1.1 §6.2.2)
    if (raw.size() != JoinRequest.SIZE) {
      throw malformed("raw_payload", JoinRequest.SIZE + " bytes (a join-request)",
          raw.size() + " bytes");
    }
    byte[] rawBytes = raw.toByteArray();
    JoinRequest frame;
    try {
      PhyPayload p = PhyPayloadCodec.decode(rawBytes, JoinRequest.SIZE);
      if (!(p instanceof JoinRequest jr)) {
        throw malformed("raw_payload.MHDR.MType", "JOIN_REQUEST", p.mType().name());
      }
      frame = jr;
    } catch (LoRaWanException e) {
      throw malformed("raw_payload", "a join-request", e.getMessage());
    }
    DevAddr devAddr = new DevAddr(msbFirst(req.getDevAddr(), DevAddr.SIZE, "dev_addr"));
    NetId netId = new NetId(msbFirst(req.getNetId(), NetId.SIZE, "net_id"));
    Optional<MacVersion> selected = macVersion(req.getSelectedMacVersion());
    DLSettings dl = req.getDownlinkSettings();
    int rx1 = range("downlink_settings.rx1_dr_offset", dl.getRx1DrOffset(), 7);
    int rx2 = range("downlink_settings.rx2_dr", dl.getRx2Dr(), 15);
    int rxDelay = range("rx_delay", req.getRxDelay(), 15);
    Optional<CfList> cfList = req.hasCfList() ? cfList(req.getCfList()) : Optional.empty();
    return new NsJoinRequest(Bytes.of(rawBytes), frame, devAddr, netId, selected, rx1, rx2,
        rxDelay, cfList, req.getCorrelationIdsList());
  }

  /** A big-endian (MSB first) unsigned integer of exactly {@code size} bytes. */
  private static int msbFirst(ByteString b, int size, String field) {
    if (b.size() != size) {
      throw malformed(field, size + " bytes", b.size() + " bytes");
    }
    int v = 0;
    for (int i = 0; i < size; i++) {
      v = (v << 8) | (b.byteAt(i) & 0xFF);
    }
    return v;
  }

  /** The LoRaWAN version of a proto enum value; empty for MAC_UNKNOWN. */
  public static Optional<MacVersion> macVersion(MACVersion v) {
    if (v == MACVersion.MAC_UNKNOWN) {
      return Optional.empty();
    }
    if (v == MACVersion.UNRECOGNIZED) {
      throw malformed("selected_mac_version", "a known MAC version", "an unrecognized value");
    }
    return Optional.of(MacVersion.parse(v.name())); // parses The Things Stack's MAC_V1_0_3 form
  }

  private static int range(String field, int value, int max) {
    // proto uint32 arrives as a Java int: compare unsigned
    if (Integer.compareUnsigned(value, max) > 0) {
      throw malformed(field, "0.." + max, Integer.toUnsignedString(value));
    }
    return value;
  }

  private static Optional<CfList> cfList(CFList c) {
    try {
      if (c.getType() == CFListType.FREQUENCIES) {
        if (c.getFreqCount() == 0) {
          return Optional.empty();
        }
        if (c.getFreqCount() > CfList.Frequencies.COUNT) {
          throw malformed("cf_list.freq", "at most " + CfList.Frequencies.COUNT + " frequencies",
              Integer.toString(c.getFreqCount()));
        }
        if (c.getChMasksCount() != 0) {
          throw malformed("cf_list.ch_masks", "no channel masks in a FREQUENCIES CFList",
              c.getChMasksCount() + " masks");
        }
        long[] hz = new long[c.getFreqCount()];
        for (int i = 0; i < hz.length; i++) {
          // on the air 24 bits in units of 100 Hz
          hz[i] = range("cf_list.freq[" + i + "]", c.getFreq(i), 0xFFFFFF) * 100L;
        }
        return Optional.of(CfList.Frequencies.of(hz));
      }
      if (c.getType() == CFListType.CHANNEL_MASKS) {
        int max = CfList.ChannelMasks.COUNT * CH_MASK_BITS;
        if (c.getChMasksCount() > max) {
          throw malformed("cf_list.ch_masks", "at most " + max + " channels",
              Integer.toString(c.getChMasksCount()));
        }
        if (c.getFreqCount() != 0) {
          throw malformed("cf_list.freq", "no frequencies in a CHANNEL_MASKS CFList",
              c.getFreqCount() + " frequencies");
        }
        int[] masks = new int[CfList.ChannelMasks.COUNT];
        for (int ch = 0; ch < c.getChMasksCount(); ch++) {
          if (c.getChMasks(ch)) {
            masks[ch / CH_MASK_BITS] |= 1 << (ch % CH_MASK_BITS);
          }
        }
        return Optional.of(CfList.ChannelMasks.of(masks));
      }
      throw malformed("cf_list.type", "FREQUENCIES or CHANNEL_MASKS", c.getType().name());
    } catch (LoRaWanException e) {
      throw malformed("cf_list", "a valid CFList", e.getMessage());
    }
  }

  private static JoinRejection malformed(String field, String expected, String found) {
    return new JoinRejection(JoinRejectReason.MALFORMED_REQUEST, field, expected, found);
  }
}
