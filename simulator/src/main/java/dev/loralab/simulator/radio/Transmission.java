package dev.loralab.simulator.radio;

/**
 * One frame on the air.
 *
 * @param id unique per run, assigned by the {@link Medium}
 * @param transmitter who sends it
 * @param frequencyHz centre frequency
 * @param spreadingFactor LoRa SF
 * @param bandwidthHz LoRa bandwidth
 * @param txPowerDbm conducted TX power (antenna gain is added by the model)
 * @param startNanos simulation time the preamble starts
 * @param endNanos simulation time the last symbol ends
 * @param payload the frame, opaque to the model
 */
public record Transmission(long id, RadioNode transmitter, long frequencyHz, int spreadingFactor,
    int bandwidthHz, double txPowerDbm, long startNanos, long endNanos, Object payload) {

  /** Validates timing and modulation. */
  public Transmission {
    if (transmitter == null || payload == null) {
      throw new IllegalArgumentException("transmission: transmitter and payload expected");
    }
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("transmission: end before start");
    }
    if (spreadingFactor < 5 || spreadingFactor > 12 || bandwidthHz <= 0 || frequencyHz <= 0) {
      throw new IllegalArgumentException("transmission: SF 5..12, positive bandwidth and frequency expected");
    }
  }

  /** True if the other frame occupies the same channel: same frequency, SF and bandwidth. */
  public boolean sameChannelAndSf(Transmission o) {
    return frequencyHz == o.frequencyHz && spreadingFactor == o.spreadingFactor && bandwidthHz == o.bandwidthHz;
  }

  /** True if the two frames are on the air at the same time. */
  public boolean overlaps(Transmission o) {
    return startNanos < o.endNanos && o.startNanos < endNanos;
  }

  /** True for frames sent by a device. */
  public boolean uplink() {
    return transmitter.kind() == RadioNode.Kind.DEVICE;
  }
}
