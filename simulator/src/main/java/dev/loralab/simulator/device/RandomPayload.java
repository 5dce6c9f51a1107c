package dev.loralab.simulator.device;

import java.util.random.RandomGenerator;

/** Random bytes of a random length. @param minSize shortest @param maxSize longest */
public record RandomPayload(int minSize, int maxSize) implements PayloadGenerator {

  /** Validates. */
  public RandomPayload {
    if (minSize < 0 || maxSize < minSize || maxSize > 242) {
      throw new IllegalArgumentException("random payload: 0 <= min-size <= max-size <= 242 expected, found "
          + minSize + ".." + maxSize);
    }
  }

  @Override
  public byte[] next(long uplinkNumber, double secondsSinceStart, RandomGenerator random) {
    byte[] b = new byte[minSize == maxSize ? minSize : random.nextInt(minSize, maxSize + 1)];
    random.nextBytes(b);
    return b;
  }
}
