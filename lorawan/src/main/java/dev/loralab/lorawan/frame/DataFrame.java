package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.Mic;
import java.util.OptionalInt;

/**
 * A data message, confirmed or unconfirmed, up or down (LoRaWAN 1.1 §4.3):
 * {@code MHDR | FHDR | [FPort] | [FRMPayload] | MIC}. FOpts and FRMPayload are stored as on the
 * wire (possibly encrypted).
 *
 * @param mType one of the four data types
 * @param fHdr the frame header; its FCtrl direction must match {@code mType}
 * @param fPort the FPort, 0..255, absent when there is no FRMPayload
 * @param frmPayload the FRMPayload as on the wire; non-empty only with an FPort
 * @param mic the MIC
 */
public record DataFrame(MType mType, FHdr fHdr, OptionalInt fPort, Bytes frmPayload, Mic mic) implements PhyPayload {

  /** Validates the fields and their consistency. */
  public DataFrame {
    Fields.notNull(mType, "MHDR.MType");
    if (!mType.isData()) {
      throw new LoRaWanException("MHDR.MType", "a data message type", mType.name());
    }
    Fields.notNull(fHdr, "FHDR");
    if (fHdr.fCtrl().uplink() != mType.uplink()) {
      throw new LoRaWanException("FHDR.FCtrl", (mType.uplink() ? "uplink" : "downlink") + " flags for " + mType,
          fHdr.fCtrl().uplink() ? "uplink flags" : "downlink flags");
    }
    Fields.notNull(fPort, "FPort");
    if (fPort.isPresent()) {
      Fields.range(fPort.getAsInt(), 0, 255, "FPort");
    }
    Fields.notNull(frmPayload, "FRMPayload");
    if (fPort.isEmpty() && !frmPayload.isEmpty()) {
      throw new LoRaWanException("FPort", "present when FRMPayload is not empty", "absent");
    }
    Fields.notNull(mic, "MIC");
  }

  /** True for an uplink. */
  public boolean uplink() {
    return mType.uplink();
  }

  /** True for a confirmed message. */
  public boolean confirmed() {
    return mType.isConfirmed();
  }

  /** Shortcut for {@code fHdr().devAddr()}. */
  public DevAddr devAddr() {
    return fHdr.devAddr();
  }

  /** Shortcut for {@code fHdr().fCnt()}, the 16-bit counter on the wire. */
  public int fCnt() {
    return fHdr.fCnt();
  }

  /**
   * True if FOpts are present and FPort is 0, i.e. MAC commands in both places; the receiver
   * SHALL ignore such a frame (LoRaWAN 1.1 §4.3.1.6). The codec still decodes it.
   */
  public boolean hasMacCommandsInFOptsAndFrmPayload() {
    return !fHdr.fOpts().isEmpty() && fPort.isPresent() && fPort.getAsInt() == 0;
  }

  /** The same frame with another MIC. */
  public DataFrame withMic(Mic newMic) {
    return new DataFrame(mType, fHdr, fPort, frmPayload, newMic);
  }

  /** The same frame with another FRMPayload (e.g. after encryption). */
  public DataFrame withFrmPayload(Bytes newPayload) {
    return new DataFrame(mType, fHdr, fPort, newPayload, mic);
  }

  /** The same frame with other FOpts bytes (e.g. after 1.1 FOpts encryption). */
  public DataFrame withFOpts(Bytes newFOpts) {
    return new DataFrame(mType, new FHdr(fHdr.devAddr(), fHdr.fCtrl(), fHdr.fCnt(), newFOpts), fPort, frmPayload, mic);
  }
}
