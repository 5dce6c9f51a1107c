package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.Mic;

/**
 * A rejoin-request (LoRaWAN 1.1 §6.2.4, MType 110; RFU in 1.0.x). Type 0 and 2 carry the NetID
 * and RJcount0 ({@link RejoinRequestType02}); type 1 carries the JoinEUI and RJcount1
 * ({@link RejoinRequestType1}). Not encrypted.
 */
public sealed interface RejoinRequest extends PhyPayload permits RejoinRequestType02, RejoinRequestType1 {

  /** The RejoinType byte: 0, 1 or 2. */
  int rejoinType();

  /** The DevEUI. */
  Eui64 devEui();

  /** RJcount0 (type 0/2) or RJcount1 (type 1), 0..65535. */
  int rjCount();

  /** The MIC. */
  Mic mic();

  @Override
  default MType mType() {
    return MType.REJOIN_REQUEST;
  }
}
