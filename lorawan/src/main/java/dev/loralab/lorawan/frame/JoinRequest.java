package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.Mic;

/**
 * A join-request: {@code MHDR | JoinEUI(8) | DevEUI(8) | DevNonce(2) | MIC(4)}, 23 bytes,
 * not encrypted (LoRaWAN 1.1 §6.2.2). JoinEUI is called AppEUI in 1.0.x.
 */
public record JoinRequest(Eui64 joinEui, Eui64 devEui, DevNonce devNonce, Mic mic) implements PhyPayload {

  /** Length of the whole PHYPayload. */
  public static final int SIZE = 23;

  /** Validates that no field is null. */
  public JoinRequest {
    Fields.notNull(joinEui, "JoinRequest.JoinEUI");
    Fields.notNull(devEui, "JoinRequest.DevEUI");
    Fields.notNull(devNonce, "JoinRequest.DevNonce");
    Fields.notNull(mic, "JoinRequest.MIC");
  }

  @Override
  public MType mType() {
    return MType.JOIN_REQUEST;
  }

  /** The same frame with another MIC. */
  public JoinRequest withMic(Mic newMic) {
    return new JoinRequest(joinEui, devEui, devNonce, newMic);
  }
}
