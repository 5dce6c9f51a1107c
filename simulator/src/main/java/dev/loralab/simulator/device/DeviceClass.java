package dev.loralab.simulator.device;

/** LoRaWAN device classes the simulator implements. */
public enum DeviceClass {
  /** Receives only in RX1 and RX2 after each uplink. */
  A,
  /** Listens on RX2 whenever it is not transmitting or in RX1. */
  C
}
