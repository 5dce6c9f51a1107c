package dev.loralab.networkserver.mac;

import dev.loralab.frequencyplans.Band;
import dev.loralab.lorawan.MacVersion;
import java.time.Instant;
import java.util.Objects;

/**
 * What MAC command handlers know about the uplink that carried the commands.
 *
 * @param receivedAt when the uplink was received (DeviceTimeAns refers to this instant)
 * @param fCntUp the full frame counter of the uplink
 * @param gatewayCount how many gateways received the uplink (LinkCheckAns)
 * @param bestSnrMarginDb the best SNR margin over the demodulation floor, in dB (LinkCheckAns)
 * @param version the device's LoRaWAN version
 * @param band the device's band
 */
public record MacUplinkContext(Instant receivedAt, long fCntUp, int gatewayCount,
    double bestSnrMarginDb, MacVersion version, Band band) {

  /** Validates the fields. */
  public MacUplinkContext {
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(band, "band");
    if (gatewayCount < 0) {
      throw new IllegalArgumentException("gatewayCount: expected >= 0, found " + gatewayCount);
    }
  }
}
