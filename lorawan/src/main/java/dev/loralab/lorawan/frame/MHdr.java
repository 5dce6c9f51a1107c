package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.LoRaWanException;

/**
 * The MAC header: {@code 7..5 MType | 4..2 RFU | 1..0 Major} (LoRaWAN 1.1 §4.2).
 * RFU bits are written as 0 and ignored on receipt.
 *
 * @param mType the message type
 * @param major the major version, 0 = LoRaWAN R1 (1..3 are RFU)
 */
public record MHdr(MType mType, int major) {

  /** Major version 0, LoRaWAN R1. */
  public static final int MAJOR_LORAWAN_R1 = 0;

  /** Validates the fields. */
  public MHdr {
    if (mType == null) {
      throw new LoRaWanException("MHDR.MType", "a message type", "null");
    }
    if (major < 0 || major > 3) {
      throw new LoRaWanException("MHDR.Major", "0..3", Integer.toString(major));
    }
  }

  /** An R1 header for the given type. */
  public static MHdr of(MType mType) {
    return new MHdr(mType, MAJOR_LORAWAN_R1);
  }

  /** Decodes the MHDR byte (RFU bits ignored). */
  public static MHdr decode(int b) {
    return new MHdr(MType.ofBits((b & 0xFF) >>> 5), b & 0b11);
  }

  /** The MHDR byte with RFU bits 0. */
  public int encode() {
    return (mType.bits() << 5) | major;
  }
}
