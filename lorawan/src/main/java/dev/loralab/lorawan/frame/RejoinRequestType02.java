package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;

/**
 * Rejoin-request type 0 or 2: {@code MHDR | RejoinType(1) | NetID(3) | DevEUI(8) | RJcount0(2) | MIC(4)},
 * 19 bytes (LoRaWAN 1.1 §6.2.4.1).
 *
 * @param rejoinType 0 or 2
 * @param netId the NetID
 * @param devEui the DevEUI
 * @param rjCount0 RJcount0, 0..65535
 * @param mic the MIC
 */
public record RejoinRequestType02(int rejoinType, NetId netId, Eui64 devEui, int rjCount0, Mic mic)
    implements RejoinRequest {

  /** Length of the whole PHYPayload. */
  public static final int SIZE = 19;

  /** Validates the fields. */
  public RejoinRequestType02 {
    if (rejoinType != 0 && rejoinType != 2) {
      throw new LoRaWanException("RejoinRequest.RejoinType", "0 or 2", Integer.toString(rejoinType));
    }
    Fields.notNull(netId, "RejoinRequest.NetID");
    Fields.notNull(devEui, "RejoinRequest.DevEUI");
    Fields.range(rjCount0, 0, 0xFFFF, "RejoinRequest.RJcount0");
    Fields.notNull(mic, "RejoinRequest.MIC");
  }

  @Override
  public int rjCount() {
    return rjCount0;
  }

  /** The same frame with another MIC. */
  public RejoinRequestType02 withMic(Mic newMic) {
    return new RejoinRequestType02(rejoinType, netId, devEui, rjCount0, newMic);
  }
}
