package dev.loralab.gatewayserver.udp;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per source IP address, so that a flood from one address cannot starve the
 * others. Time comes from the injected clock.
 */
public final class AddressRateLimiter {

  private final double ratePerNano;
  private final int burst;
  private final int maxTracked;
  private final Clock clock;
  private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param ratePerSecond sustained datagrams per second per address
   * @param burst bucket size
   * @param maxTracked addresses tracked at most (idle ones are evicted beyond that)
   * @param clock time source
   */
  public AddressRateLimiter(double ratePerSecond, int burst, int maxTracked, Clock clock) {
    if (!(ratePerSecond > 0) || burst < 1 || maxTracked < 1) {
      throw new IllegalArgumentException("rate limiter: expected positive rate, burst and size");
    }
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.maxTracked = maxTracked;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Takes one token for {@code address}; false if its bucket is empty. */
  public boolean tryAcquire(InetAddress address) {
    long now = nanos(clock.instant());
    // A known address (almost every datagram): one lookup, nothing allocated.
    Bucket b = buckets.get(address);
    if (b == null) {
      b = newBucket(address, now);
    }
    synchronized (b) {
      b.refill(now, ratePerNano, burst);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  private Bucket newBucket(InetAddress address, long now) {
    if (buckets.size() >= maxTracked) {
      evictIdle();
      if (buckets.size() >= maxTracked) {
        buckets.clear(); // spoofed-source flood: bound memory rather than remember everyone
      }
    }
    return buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
  }

  /** Forgets addresses whose bucket is full again (they have been quiet). */
  public void evictIdle() {
    long now = nanos(clock.instant());
    buckets.entrySet().removeIf(e -> {
      Bucket b = e.getValue();
      synchronized (b) {
        b.refill(now, ratePerNano, burst);
        return b.tokens >= burst;
      }
    });
  }

  /** Number of addresses currently tracked. */
  public int tracked() {
    return buckets.size();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }

    void refill(long now, double ratePerNano, int burst) {
      if (now > last) {
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
      }
    }
  }
}
