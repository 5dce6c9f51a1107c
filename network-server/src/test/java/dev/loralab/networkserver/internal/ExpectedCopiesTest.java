package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ExpectedCopiesTest {

  @Test
  void countsAreRememberedPerDevAddrAndClamped() {
    ExpectedCopies e = new ExpectedCopies(1000);
    assertThat(e.get(0x26011BDA)).isZero();
    e.put(0x26011BDA, 3);
    e.put(0, 2); // DevAddr 00000000 is a DevAddr like any other
    e.put(0xFFFFFFFF, 4);
    assertThat(e.get(0x26011BDA)).isEqualTo(3);
    assertThat(e.get(0)).isEqualTo(2);
    assertThat(e.get(0xFFFFFFFF)).isEqualTo(4);
    e.put(0x26011BDA, 1);
    assertThat(e.get(0x26011BDA)).isEqualTo(1);
    e.put(7, 0);
    assertThat(e.get(7)).isEqualTo(1);
    e.put(8, 1000);
    assertThat(e.get(8)).isEqualTo(ExpectedCopies.MAX_COUNT);
    assertThatThrownBy(() -> new ExpectedCopies(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMillionSequentialDevAddrsAreAllRememberedWithinTheDefaultBound() {
    ExpectedCopies e = new ExpectedCopies(1 << 20);
    int base = 0x26000000;
    for (int i = 0; i < 1_000_000; i++) {
      e.put(base + i, 1 + i % 3);
    }
    for (int i = 0; i < 1_000_000; i++) {
      assertThat(e.get(base + i)).isEqualTo(1 + i % 3);
    }
    assertThat(e.capacity()).isEqualTo(1 << 21);
  }

  @Test
  void atItsBoundTheTableForgetsInsteadOfGrowing() {
    ExpectedCopies e = new ExpectedCopies(4096);
    for (int i = 0; i < 100_000; i++) {
      e.put(i, 1 + i % 5);
      assertThat(e.get(i)).isEqualTo(1 + i % 5); // the newest is always there
    }
    assertThat(e.capacity()).isEqualTo(8192);
    int remembered = 0;
    for (int i = 0; i < 100_000; i++) {
      int c = e.get(i);
      assertThat(c).isIn(0, 1 + i % 5);
      remembered += c > 0 ? 1 : 0;
    }
    assertThat(remembered).isLessThanOrEqualTo(8192);
  }

  @Property
  void neverAnswersWithAnotherDevAddrsCount(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 500) Integer> addrs,
      @ForAll @IntRange(min = 1, max = 64) int bound) {
    ExpectedCopies e = new ExpectedCopies(bound);
    Map<Integer, Integer> last = new HashMap<>();
    for (int i = 0; i < addrs.size(); i++) {
      int count = 1 + i % 7;
      e.put(addrs.get(i), count);
      last.put(addrs.get(i), count);
    }
    last.forEach((addr, count) -> assertThat(e.get(addr)).isIn(0, count));
    // at most twice the bound rounded up to a power of two, and two buckets
    assertThat(e.capacity()).isLessThanOrEqualTo(Math.max(16, 4 * bound));
  }

  @Test
  void concurrentWritersNeverMixUpDevAddrs() throws Exception {
    ExpectedCopies e = new ExpectedCopies(1 << 16);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 50_000; i++) {
            int addr = thread << 24 | i;
            e.put(addr, 1 + (addr % 9));
            int c = e.get(addr);
            if (c != 0 && c != 1 + (addr % 9)) {
              throw new AssertionError("DevAddr " + addr + ": " + c);
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      for (int t = 0; t < 4; t++) {
        for (int i = 0; i < 50_000; i++) {
          int addr = t << 24 | i;
          assertThat(e.get(addr)).isIn(0, 1 + (addr % 9));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
