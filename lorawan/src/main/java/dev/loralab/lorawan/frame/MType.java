package dev.loralab.lorawan.frame;

/** The message type in bits 7..5 of the MHDR (LoRaWAN 1.1 §4.2.1, Table 1). */
public enum MType {
  JOIN_REQUEST(0b000, true),
  JOIN_ACCEPT(0b001, false),
  UNCONFIRMED_DATA_UP(0b010, true),
  UNCONFIRMED_DATA_DOWN(0b011, false),
  CONFIRMED_DATA_UP(0b100, true),
  CONFIRMED_DATA_DOWN(0b101, false),
  /** Rejoin-request in 1.1; RFU in 1.0.x. */
  REJOIN_REQUEST(0b110, true),
  /** Either direction; {@link #uplink()} returns true by convention. */
  PROPRIETARY(0b111, true);

  private static final MType[] BY_BITS = values();

  private final int bits;
  private final boolean uplink;

  MType(int bits, boolean uplink) {
    this.bits = bits;
    this.uplink = uplink;
  }

  /** The 3-bit code. */
  public int bits() {
    return bits;
  }

  /** True for messages sent by the end device. */
  public boolean uplink() {
    return uplink;
  }

  /** True for the four data-message types (010..101). */
  public boolean isData() {
    return bits >= 0b010 && bits <= 0b101;
  }

  /** True for confirmed data up or down. */
  public boolean isConfirmed() {
    return this == CONFIRMED_DATA_UP || this == CONFIRMED_DATA_DOWN;
  }

  /** The type for a 3-bit code (0..7). */
  public static MType ofBits(int bits) {
    return BY_BITS[bits & 0b111];
  }

  /** The data type for a direction and confirmation flag. */
  public static MType data(boolean uplink, boolean confirmed) {
    if (uplink) {
      return confirmed ? CONFIRMED_DATA_UP : UNCONFIRMED_DATA_UP;
    }
    return confirmed ? CONFIRMED_DATA_DOWN : UNCONFIRMED_DATA_DOWN;
  }
}
