package dev.loralab.simulator.device;

import dev.loralab.lorawan.DevAddr;
import dev.loralab.simulator.radio.Transmission;

/** Observes what a device does; all methods run on the simulation thread. Defaults do nothing. */
public interface DeviceListener {

  /** A join-request went on the air. */
  default void joinRequestSent(SimulatedDevice device, int devNonce, int attempt, Transmission t) {}

  /** A valid join-accept was received. @param latencyNanos from the end of the first join-request */
  default void joined(SimulatedDevice device, DevAddr devAddr, int attempts, long latencyNanos) {}

  /** A data uplink went on the air. */
  default void uplinkSent(SimulatedDevice device, UplinkInfo uplink, Transmission t) {}

  /** A valid downlink was received. */
  default void downlinkReceived(SimulatedDevice device, DownlinkInfo downlink) {}

  /** A downlink was heard but rejected (MIC, counter, address, format). */
  default void downlinkRejected(SimulatedDevice device, String reason) {}

  /**
   * A data uplink as sent.
   *
   * @param devAddr the session's address
   * @param fCnt the 32-bit FCntUp
   * @param fPort FPort (0 for MAC-only)
   * @param confirmed confirmed data up
   * @param dataRate data-rate index
   * @param frequencyHz channel
   * @param transmission 1 for the first transmission, 2.. for retransmissions of the same FCnt
   * @param macCommands number of MAC commands in FOpts or FRMPayload
   */
  record UplinkInfo(DevAddr devAddr, long fCnt, int fPort, boolean confirmed, int dataRate, long frequencyHz,
      int transmission, int macCommands) {}

  /**
   * A downlink as received.
   *
   * @param joinAccept true for a join-accept
   * @param fCnt the 32-bit downlink counter (−1 for join-accepts)
   * @param fPort FPort, −1 if absent
   * @param confirmed confirmed data down
   * @param ack the ACK bit
   * @param macCommands number of MAC commands
   * @param window RX1, RX2 or RXC (class C)
   * @param latencyNanos from the end of the uplink that opened the window
   * @param rssiDbm received strength
   * @param snrDb received SNR
   */
  record DownlinkInfo(boolean joinAccept, long fCnt, int fPort, boolean confirmed, boolean ack, int macCommands,
      String window, long latencyNanos, double rssiDbm, double snrDb) {}
}
