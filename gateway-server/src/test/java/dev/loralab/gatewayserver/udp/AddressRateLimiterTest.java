package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AddressRateLimiterTest {

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  void burstThenSustainedRatePerAddress() throws Exception {
    AddressRateLimiter limiter = new AddressRateLimiter(10, 5, 100, clock);
    InetAddress a = InetAddress.getByName("192.0.2.1");
    InetAddress b = InetAddress.getByName("192.0.2.2");
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire(a)).isTrue();
    }
    assertThat(limiter.tryAcquire(a)).isFalse();
    assertThat(limiter.tryAcquire(b)).isTrue(); // another address has its own budget
    now = now.plus(Duration.ofMillis(100));     // 10/s: one token back
    assertThat(limiter.tryAcquire(a)).isTrue();
    assertThat(limiter.tryAcquire(a)).isFalse();
    now = now.plusSeconds(10);
    limiter.evictIdle();
    assertThat(limiter.tracked()).isZero();
  }

  @Test
  void memoryStaysBounded() throws Exception {
    AddressRateLimiter limiter = new AddressRateLimiter(1, 2, 10, clock);
    for (int i = 0; i < 1000; i++) {
      limiter.tryAcquire(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}));
    }
    assertThat(limiter.tracked()).isLessThanOrEqualTo(10);
  }
}
