package dev.loralab.simulator.device;

import dev.loralab.frequencyplans.Band;
import java.time.Duration;

/**
 * Behaviour of a simulated device.
 *
 * @param band regional parameters
 * @param deviceClass A or C
 * @param dataRate initial data rate (also used for join-requests)
 * @param adr whether the device sets the ADR bit and follows LinkADRReq
 * @param confirmed whether application uplinks are confirmed
 * @param fPort application FPort 1..223
 * @param interval mean uplink interval
 * @param jitter periodic mode: uniform jitter ±jitter around the interval
 * @param poisson true for exponentially distributed intervals (Poisson arrivals)
 * @param payload the application payload generator
 * @param battery DevStatusAns battery value (0 external power, 1..254 level, 255 unknown)
 * @param joinBackoffBase first join retry delay (doubles per attempt, capped at 64 times)
 * @param linkCheckEvery send a LinkCheckReq every this many uplinks (0 = never)
 * @param deviceTimeAfterJoin send a DeviceTimeReq in the first uplink of a session
 * @param maxConfirmedRetransmissions transmissions of a confirmed uplink without ACK (at least 1)
 */
public record DeviceSettings(Band band, DeviceClass deviceClass, int dataRate, boolean adr, boolean confirmed,
    int fPort, Duration interval, Duration jitter, boolean poisson, PayloadGenerator payload, int battery,
    Duration joinBackoffBase, int linkCheckEvery, boolean deviceTimeAfterJoin, int maxConfirmedRetransmissions) {

  /** Validates ranges. */
  public DeviceSettings {
    if (band == null || deviceClass == null || interval == null || jitter == null || payload == null
        || joinBackoffBase == null) {
      throw new IllegalArgumentException("device settings: band, class, interval, jitter, payload expected");
    }
    band.dataRate(dataRate);
    if (fPort < 1 || fPort > 223) {
      throw new IllegalArgumentException("fport: 1..223 expected, found " + fPort);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("uplink interval: positive expected, found " + interval);
    }
    if (jitter.isNegative()) {
      throw new IllegalArgumentException("uplink jitter: not negative expected, found " + jitter);
    }
    if (battery < 0 || battery > 255) {
      throw new IllegalArgumentException("battery: 0..255 expected, found " + battery);
    }
    if (maxConfirmedRetransmissions < 1 || maxConfirmedRetransmissions > 15) {
      throw new IllegalArgumentException("confirmed retransmissions: 1..15 expected, found " + maxConfirmedRetransmissions);
    }
  }
}
