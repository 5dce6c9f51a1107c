package dev.loralab.simulator.gateway;

import dev.loralab.lorawan.Bytes;
import java.time.Instant;
import java.util.Optional;

/**
 * One received LoRa frame: an {@code rxpk} element of PUSH_DATA (Semtech PROTOCOL.TXT §4).
 *
 * @param time UTC time of reception, if the gateway knows it
 * @param tmst concentrator counter at the end of reception, unsigned 32-bit µs
 * @param frequencyHz centre frequency
 * @param chan IF channel
 * @param rfch RF chain
 * @param crcStatus 1 CRC OK, −1 CRC error, 0 no CRC
 * @param dataRate LoRa modulation
 * @param codingRate e.g. {@code 4/5}
 * @param rssi RSSI in dBm
 * @param lsnr SNR in dB, 0.1 dB resolution
 * @param data the PHYPayload
 */
public record RxPacket(Optional<Instant> time, long tmst, long frequencyHz, int chan, int rfch, int crcStatus,
    LoRaDataRate dataRate, String codingRate, int rssi, double lsnr, Bytes data) {

  /** Validates the ranges. */
  public RxPacket {
    if (time == null || dataRate == null || codingRate == null || data == null) {
      throw new SemtechUdpException("rxpk", "time (optional), datr, codr and data", "a missing field");
    }
    if (tmst < 0 || tmst > 0xFFFF_FFFFL) {
      throw new SemtechUdpException("rxpk.tmst", "0..2^32-1", Long.toString(tmst));
    }
    if (frequencyHz <= 0) {
      throw new SemtechUdpException("rxpk.freq", "a positive frequency", Long.toString(frequencyHz));
    }
    if (crcStatus < -1 || crcStatus > 1) {
      throw new SemtechUdpException("rxpk.stat", "-1, 0 or 1", Integer.toString(crcStatus));
    }
    if (!Double.isFinite(lsnr)) {
      throw new SemtechUdpException("rxpk.lsnr", "a number", Double.toString(lsnr));
    }
  }
}
