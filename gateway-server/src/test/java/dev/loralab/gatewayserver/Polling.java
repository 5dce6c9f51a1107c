package dev.loralab.gatewayserver;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a probe with a generous timeout (no timing assertions). */
final class Polling {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Polling() {}

  static <T> T await(Supplier<Optional<T>> probe, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
