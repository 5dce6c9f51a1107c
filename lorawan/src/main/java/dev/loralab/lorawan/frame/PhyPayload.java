package dev.loralab.lorawan.frame;

/**
 * A decoded LoRaWAN PHYPayload: {@code MHDR | MACPayload | MIC} (LoRaWAN 1.1 §4).
 * All variants are LoRaWAN R1 (Major 0). Encode and decode with {@link PhyPayloadCodec}.
 */
public sealed interface PhyPayload
    permits JoinRequest, JoinAccept, EncryptedJoinAccept, DataFrame, RejoinRequest, Proprietary {

  /** The message type. */
  MType mType();

  /** The MAC header (Major 0). */
  default MHdr mhdr() {
    return MHdr.of(mType());
  }
}
