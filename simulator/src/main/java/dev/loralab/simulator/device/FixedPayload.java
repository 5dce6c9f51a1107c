package dev.loralab.simulator.device;

import dev.loralab.lorawan.Bytes;
import java.util.random.RandomGenerator;

/** The same payload every time. @param payload the bytes */
public record FixedPayload(Bytes payload) implements PayloadGenerator {

  /** Validates. */
  public FixedPayload {
    if (payload == null || payload.length() > 242) {
      throw new IllegalArgumentException("fixed payload: 0..242 bytes expected");
    }
  }

  @Override
  public byte[] next(long uplinkNumber, double secondsSinceStart, RandomGenerator random) {
    return payload.toArray();
  }
}
