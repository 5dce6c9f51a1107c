package dev.loralab.simulator.radio;

/**
 * What one receiver made of one transmission.
 *
 * @param receiver the receiving node
 * @param transmission the frame
 * @param outcome received, or why not
 * @param rssiDbm received signal strength
 * @param snrDb signal-to-noise ratio
 * @param distanceM distance between transmitter and receiver
 */
public record Reception(RadioNode receiver, Transmission transmission, Outcome outcome, double rssiDbm,
    double snrDb, double distanceM) {

  /** Reception outcomes. */
  public enum Outcome {
    /** Demodulated. */
    RECEIVED,
    /** SNR below the demodulation floor of the spreading factor. */
    BELOW_FLOOR,
    /** Destroyed by an overlapping frame on the same channel and SF. */
    COLLIDED,
    /** The receiver was transmitting itself (half duplex). */
    RECEIVER_BUSY
  }

  /** True if the frame was demodulated. */
  public boolean received() {
    return outcome == Outcome.RECEIVED;
  }
}
