package dev.loralab.simulator.device;

/** How a device gets its session. */
public enum Activation {
  /** Over-the-air activation: join-request / join-accept. */
  OTAA,
  /** Activation by personalization: the session is provisioned. */
  ABP
}
