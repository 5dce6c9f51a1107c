package dev.loralab.simulator.gateway;

import dev.loralab.lorawan.Bytes;
import java.util.OptionalLong;

/**
 * A downlink to transmit: the {@code txpk} object of PULL_RESP (Semtech PROTOCOL.TXT §6). GPS
 * timing ({@code tmms}) is not supported by the simulated gateway.
 *
 * @param immediate {@code imme}: send at once
 * @param tmst when not immediate: the concentrator counter value at which the preamble starts
 * @param frequencyHz centre frequency
 * @param rfch RF chain
 * @param powerDbm TX power
 * @param dataRate LoRa modulation
 * @param codingRate e.g. {@code 4/5}
 * @param invertPolarity {@code ipol}, true for LoRaWAN downlinks
 * @param noCrc {@code ncrc}
 * @param data the PHYPayload
 */
public record TxPacket(boolean immediate, OptionalLong tmst, long frequencyHz, int rfch, int powerDbm,
    LoRaDataRate dataRate, String codingRate, boolean invertPolarity, boolean noCrc, Bytes data) {

  /** Validates the timing and ranges. */
  public TxPacket {
    if (tmst == null || dataRate == null || codingRate == null || data == null) {
      throw new SemtechUdpException("txpk", "tmst (optional), datr, codr and data", "a missing field");
    }
    if (!immediate && tmst.isEmpty()) {
      throw new SemtechUdpException("txpk.tmst", "tmst or imme", "neither");
    }
    if (tmst.isPresent() && (tmst.getAsLong() < 0 || tmst.getAsLong() > 0xFFFF_FFFFL)) {
      throw new SemtechUdpException("txpk.tmst", "0..2^32-1", Long.toString(tmst.getAsLong()));
    }
    if (frequencyHz <= 0) {
      throw new SemtechUdpException("txpk.freq", "a positive frequency", Long.toString(frequencyHz));
    }
  }
}
