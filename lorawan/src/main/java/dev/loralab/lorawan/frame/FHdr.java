package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;

/**
 * The frame header: {@code DevAddr(4) | FCtrl(1) | FCnt(2) | FOpts(0..15)} (LoRaWAN 1.1 §4.3.1).
 *
 * @param devAddr the device address
 * @param fCtrl the frame-control flags
 * @param fCnt the low 16 bits of the frame counter, as on the wire
 * @param fOpts the FOpts bytes as on the wire (clear in 1.0.x, encrypted in 1.1), 0..15 bytes
 */
public record FHdr(DevAddr devAddr, FCtrl fCtrl, int fCnt, Bytes fOpts) {

  /** Maximum FOpts length (FOptsLen is 4 bits). */
  public static final int MAX_FOPTS_LENGTH = 15;
  /** FHDR length without FOpts. */
  public static final int MIN_SIZE = 7;

  /** Validates the fields. */
  public FHdr {
    Fields.notNull(devAddr, "FHDR.DevAddr");
    Fields.notNull(fCtrl, "FHDR.FCtrl");
    Fields.range(fCnt, 0, 0xFFFF, "FHDR.FCnt");
    Fields.notNull(fOpts, "FHDR.FOpts");
    if (fOpts.length() > MAX_FOPTS_LENGTH) {
      throw new LoRaWanException("FHDR.FOpts", "at most 15 bytes", fOpts.length() + " bytes");
    }
  }

  /** FHDR with no FOpts. */
  public FHdr(DevAddr devAddr, FCtrl fCtrl, int fCnt) {
    this(devAddr, fCtrl, fCnt, Bytes.EMPTY);
  }

  /** Encoded length: 7 + FOptsLen. */
  public int size() {
    return MIN_SIZE + fOpts.length();
  }
}
