package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Mic;

/**
 * A proprietary message (MType 111). Its content is not standardised (LoRaWAN 1.1 §4.2.1); it is
 * split as {@code MHDR | payload | MIC(4)}, the last four bytes being taken as a MIC.
 *
 * @param payload the bytes between MHDR and MIC
 * @param mic the last four bytes
 */
public record Proprietary(Bytes payload, Mic mic) implements PhyPayload {

  /** Validates that no field is null. */
  public Proprietary {
    Fields.notNull(payload, "Proprietary.payload");
    Fields.notNull(mic, "Proprietary.MIC");
  }

  @Override
  public MType mType() {
    return MType.PROPRIETARY;
  }

  /** The same frame with another MIC. */
  public Proprietary withMic(Mic newMic) {
    return new Proprietary(payload, newMic);
  }
}
