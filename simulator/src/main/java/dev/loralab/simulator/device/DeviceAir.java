package dev.loralab.simulator.device;

import dev.loralab.lorawan.Bytes;
import dev.loralab.simulator.radio.Transmission;

/** Where a device's uplinks go: the simulation puts them on the radio medium. */
public interface DeviceAir {

  /**
   * Puts an uplink on the air.
   *
   * @param device the sender
   * @param frequencyHz channel frequency
   * @param spreadingFactor LoRa SF
   * @param bandwidthHz LoRa bandwidth
   * @param eirpDbm radiated power
   * @param startNanos preamble start
   * @param endNanos end of the frame
   * @param phy the PHYPayload
   * @return the transmission
   */
  Transmission transmit(SimulatedDevice device, long frequencyHz, int spreadingFactor, int bandwidthHz,
      double eirpDbm, long startNanos, long endNanos, Bytes phy);
}
