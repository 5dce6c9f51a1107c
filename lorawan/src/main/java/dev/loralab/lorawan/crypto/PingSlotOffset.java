package dev.loralab.lorawan.crypto;

import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.crypto.internal.Aes128;

/**
 * The pseudo-random Class B ping slot offset of one beacon period (LoRaWAN 1.1 §13.2):
 * {@code Rand = AES(16×0x00, BeaconTime(4, LE) | DevAddr(4, LE) | pad16)} and
 * {@code pingOffset = (Rand[0] + 256·Rand[1]) mod pingPeriod}.
 */
public final class PingSlotOffset {

  /** Slots in a beacon window (2^12); pingPeriod = this / pingNb. */
  public static final int SLOTS_PER_BEACON_PERIOD = 4096;

  private static final byte[] ZERO_KEY = new byte[16];

  private PingSlotOffset() {}

  /**
   * @param beaconTime the BCNPayload time of the beacon opening the period (GPS seconds; only
   *     the low 32 bits are used)
   * @param pingPeriod slots between two ping slots, 1..4096
   * @return the offset of the first ping slot, 0..pingPeriod-1
   */
  public static int compute(long beaconTime, DevAddr devAddr, int pingPeriod) {
    if (pingPeriod < 1 || pingPeriod > SLOTS_PER_BEACON_PERIOD) {
      throw new LoRaWanException("pingPeriod", "1.." + SLOTS_PER_BEACON_PERIOD,
          Integer.toString(pingPeriod));
    }
    if (devAddr == null) {
      throw new LoRaWanException("DevAddr", "a device address", "null");
    }
    byte[] block = new byte[16];
    for (int i = 0; i < 4; i++) {
      block[i] = (byte) (beaconTime >>> (8 * i));
    }
    devAddr.writeLittleEndian(block, 4);
    byte[] rand = new byte[16];
    Aes128.encryptBlock(ZERO_KEY, block, 0, rand, 0);
    return ((rand[0] & 0xFF) + 256 * (rand[1] & 0xFF)) % pingPeriod;
  }
}
