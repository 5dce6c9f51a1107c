package dev.loralab.gatewayserver;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps a gateway's free-running, wrapping 32-bit µs {@code tmst} counter (PROTOCOL.TXT §4) to
 * server time and back, across rollovers (every 2^32 µs ≈ 71.6 min).
 *
 * <p>Each {@link #sync} pairs a counter value with the server time it was observed at. The counter
 * is extended to 64 bits by choosing, among the values congruent to the new {@code tmst} modulo
 * 2^32, the one closest to what the server clock predicts; so any number of whole rollovers that
 * happened between two syncs is accounted for, and small backward steps (reordered datagrams)
 * are not mistaken for a rollover (nor moved back to). Conversions use the signed difference from the last sync,
 * folded into ±2^31 µs.
 *
 * <p>Not thread-safe; the owner serialises access (one instance per gateway connection).
 */
public final class ConcentratorClock {

  /** 2^32 µs. */
  public static final long WRAP = 1L << 32;

  private boolean synced;
  private long lastExtended;
  private Instant lastServerTime;

  /** An independent copy of this clock's state. */
  public ConcentratorClock copy() {
    ConcentratorClock c = new ConcentratorClock();
    c.synced = synced;
    c.lastExtended = lastExtended;
    c.lastServerTime = lastServerTime;
    return c;
  }

  /** True once at least one {@link #sync} happened. */
  public boolean synced() {
    return synced;
  }

  /**
   * Records that the counter read {@code tmst} at {@code serverTime}.
   *
   * @param tmst unsigned 32-bit counter value
   * @param serverTime when the server observed it
   */
  public void sync(long tmst, Instant serverTime) {
    checkTmst(tmst);
    Objects.requireNonNull(serverTime, "serverTime");
    if (!synced) {
      lastExtended = tmst;
    } else {
      long predicted = lastExtended + micros(Duration.between(lastServerTime, serverTime));
      long extended = closestCongruent(tmst, predicted);
      if (extended < lastExtended) {
        return; // a reordered, older datagram: keep the newer reference
      }
      lastExtended = extended;
    }
    lastServerTime = serverTime;
    synced = true;
  }

  /** The server time at which the counter reads (or read) {@code tmst}; empty before a sync. */
  public Optional<Instant> toServerTime(long tmst) {
    checkTmst(tmst);
    if (!synced) {
      return Optional.empty();
    }
    long delta = signedDelta(tmst, lastExtended);
    return Optional.of(lastServerTime.plusNanos(delta * 1000));
  }

  /** The counter value at server time {@code t}; empty before a sync. */
  public Optional<Long> toTimestamp(Instant t) {
    Objects.requireNonNull(t, "t");
    if (!synced) {
      return Optional.empty();
    }
    long extended = lastExtended + micros(Duration.between(lastServerTime, t));
    return Optional.of(Math.floorMod(extended, WRAP));
  }

  /** {@code tmst + delta} on the 32-bit counter (unsigned wrap-around). */
  public static long add(long tmst, Duration delta) {
    checkTmst(tmst);
    return Math.floorMod(tmst + micros(delta), WRAP);
  }

  /** The signed difference {@code a − b} of two counter values, folded into ±2^31 µs. */
  public static long signedDelta(long a, long b) {
    long d = Math.floorMod(a - b, WRAP);
    return d >= WRAP / 2 ? d - WRAP : d;
  }

  private static long closestCongruent(long tmst, long predicted) {
    return predicted + signedDelta(tmst, Math.floorMod(predicted, WRAP));
  }

  /** Whole µs of {@code d}, rounded down. */
  static long micros(Duration d) {
    return Math.floorDiv(d.toNanos(), 1000);
  }

  private static void checkTmst(long tmst) {
    if (tmst < 0 || tmst >= WRAP) {
      throw new IllegalArgumentException("tmst: expected 0..4294967295, found " + tmst);
    }
  }
}
