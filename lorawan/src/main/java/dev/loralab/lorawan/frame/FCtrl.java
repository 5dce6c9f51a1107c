package dev.loralab.lorawan.frame;

/**
 * The frame-control byte of an FHDR, whose bits differ per direction (LoRaWAN 1.1 §4.3.1,
 * Figures 12 and 13). FOptsLen (bits 3..0) is not stored here: it is the length of
 * {@link FHdr#fOpts()}.
 */
public sealed interface FCtrl {

  /** ADR bit (bit 7). */
  boolean adr();

  /** ACK bit (bit 5). */
  boolean ack();

  /** True for the uplink layout. */
  boolean uplink();

  /** Bits 7..4 of the byte (FOptsLen excluded). */
  int encodeFlags();

  /** Decodes the flag bits of an FCtrl byte for a direction; RFU bits are ignored. */
  static FCtrl decode(int b, boolean uplink) {
    if (uplink) {
      return new Uplink((b & 0x80) != 0, (b & 0x40) != 0, (b & 0x20) != 0, (b & 0x10) != 0);
    }
    return new Downlink((b & 0x80) != 0, (b & 0x20) != 0, (b & 0x10) != 0);
  }

  /**
   * Uplink FCtrl: {@code ADR | ADRACKReq | ACK | ClassB | FOptsLen}. ClassB is RFU in 1.0.x
   * Class A and used by the Class B chapter and 1.1.
   */
  record Uplink(boolean adr, boolean adrAckReq, boolean ack, boolean classB) implements FCtrl {
    @Override
    public boolean uplink() {
      return true;
    }

    @Override
    public int encodeFlags() {
      return (adr ? 0x80 : 0) | (adrAckReq ? 0x40 : 0) | (ack ? 0x20 : 0) | (classB ? 0x10 : 0);
    }
  }

  /** Downlink FCtrl: {@code ADR | RFU | ACK | FPending | FOptsLen}. */
  record Downlink(boolean adr, boolean ack, boolean fPending) implements FCtrl {
    @Override
    public boolean uplink() {
      return false;
    }

    @Override
    public int encodeFlags() {
      return (adr ? 0x80 : 0) | (ack ? 0x20 : 0) | (fPending ? 0x10 : 0);
    }
  }
}
