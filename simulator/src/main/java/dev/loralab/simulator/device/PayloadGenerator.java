package dev.loralab.simulator.device;

import java.util.random.RandomGenerator;

/** Produces application payloads. Implementations are deterministic for a given random source. */
public interface PayloadGenerator {

  /**
   * The next payload.
   *
   * @param uplinkNumber 0 for the device's first application uplink
   * @param secondsSinceStart simulation time
   * @param random the device's random source
   */
  byte[] next(long uplinkNumber, double secondsSinceStart, RandomGenerator random);
}
