package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.Mic;

/**
 * Rejoin-request type 1: {@code MHDR | RejoinType(1)=1 | JoinEUI(8) | DevEUI(8) | RJcount1(2) | MIC(4)},
 * 24 bytes (LoRaWAN 1.1 §6.2.4.2).
 *
 * @param joinEui the JoinEUI
 * @param devEui the DevEUI
 * @param rjCount1 RJcount1, 0..65535
 * @param mic the MIC
 */
public record RejoinRequestType1(Eui64 joinEui, Eui64 devEui, int rjCount1, Mic mic) implements RejoinRequest {

  /** Length of the whole PHYPayload. */
  public static final int SIZE = 24;

  /** Validates the fields. */
  public RejoinRequestType1 {
    Fields.notNull(joinEui, "RejoinRequest.JoinEUI");
    Fields.notNull(devEui, "RejoinRequest.DevEUI");
    Fields.range(rjCount1, 0, 0xFFFF, "RejoinRequest.RJcount1");
    Fields.notNull(mic, "RejoinRequest.MIC");
  }

  @Override
  public int rejoinType() {
    return 1;
  }

  @Override
  public int rjCount() {
    return rjCount1;
  }

  /** The same frame with another MIC. */
  public RejoinRequestType1 withMic(Mic newMic) {
    return new RejoinRequestType1(joinEui, devEui, rjCount1, newMic);
  }
}
