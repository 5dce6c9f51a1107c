package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;
import java.util.Optional;

/**
 * A join-accept in clear form (LoRaWAN 1.1 §6.2.3):
 * {@code MHDR | JoinNonce(3) | Home_NetID(3) | DevAddr(4) | DLSettings(1) | RxDelay(1) | [CFList(16)] | MIC(4)}.
 * On the air everything after MHDR, MIC included, is encrypted; see {@link EncryptedJoinAccept}.
 * JoinNonce is called AppNonce in 1.0.x.
 *
 * @param joinNonce the JoinNonce
 * @param netId the home NetID
 * @param devAddr the assigned device address
 * @param dlSettings OptNeg, RX1DROffset, RX2DataRate
 * @param rxDelay the Del field of RxDelay, 0..15 (0 and 1 both mean 1 s); upper bits are RFU
 * @param cfList the optional CFList
 * @param mic the (plaintext) MIC
 */
public record JoinAccept(JoinNonce joinNonce, NetId netId, DevAddr devAddr, DlSettings dlSettings,
    int rxDelay, Optional<CfList> cfList, Mic mic) implements PhyPayload {

  /** Clear PHYPayload length without CFList. */
  public static final int SIZE = 17;
  /** Clear PHYPayload length with CFList. */
  public static final int SIZE_WITH_CFLIST = 33;

  /** Validates the fields. */
  public JoinAccept {
    Fields.notNull(joinNonce, "JoinAccept.JoinNonce");
    Fields.notNull(netId, "JoinAccept.NetID");
    Fields.notNull(devAddr, "JoinAccept.DevAddr");
    Fields.notNull(dlSettings, "JoinAccept.DLSettings");
    Fields.range(rxDelay, 0, 15, "JoinAccept.RxDelay");
    Fields.notNull(cfList, "JoinAccept.CFList");
    Fields.notNull(mic, "JoinAccept.MIC");
  }

  @Override
  public MType mType() {
    return MType.JOIN_ACCEPT;
  }

  /** The same join-accept with another MIC. */
  public JoinAccept withMic(Mic newMic) {
    return new JoinAccept(joinNonce, netId, devAddr, dlSettings, rxDelay, cfList, newMic);
  }
}
