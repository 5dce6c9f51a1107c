package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.lorawan.DevAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ShedUplinksTest {

  static final DevAddr A = DevAddr.parse("26011BDA");
  static final DevAddr B = DevAddr.parse("26011BDB");

  @Test
  void takeReturnsTheCountAndResetsIt() {
    ShedUplinks s = new ShedUplinks(1 << 16);
    assertThat(s.take(A)).isZero();
    s.shed(A);
    s.shed(A);
    s.shed(A);
    assertThat(s.take(A)).isEqualTo(3);
    assertThat(s.take(A)).isZero();
    s.shed(A);
    assertThat(s.take(A)).isEqualTo(1);
  }

  @Test
  void neighbouringDevAddrsHaveTheirOwnCounters() {
    ShedUplinks s = new ShedUplinks(1 << 16);
    s.shed(A);
    s.shed(B);
    s.shed(B);
    assertThat(s.take(B)).isEqualTo(2);
    assertThat(s.take(A)).isEqualTo(1);
  }

  @Property(tries = 200)
  void aSingleCounterCreditsEveryDevAddrThatSharesIt(@ForAll int a, @ForAll int b) {
    // one counter: every DevAddr collides, which only over-credits
    ShedUplinks s = new ShedUplinks(1);
    s.shed(new DevAddr(a));
    s.shed(new DevAddr(b));
    assertThat(s.take(new DevAddr(b))).isEqualTo(2);
    assertThat(s.take(new DevAddr(a))).isZero();
  }

  @Test
  void sizeIsRoundedUpToAPowerOfTwoAndValidated() {
    assertThat(new ShedUplinks(1).size()).isEqualTo(1);
    assertThat(new ShedUplinks(1000).size()).isEqualTo(1024);
    assertThat(new ShedUplinks(1024).size()).isEqualTo(1024);
    assertThatThrownBy(() -> new ShedUplinks(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size");
  }

  @Test
  void concurrentShedsAndTakesLoseNothing() throws Exception {
    ShedUplinks s = new ShedUplinks(64);
    int threads = 4;
    int perThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> shedders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        shedders.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            s.shed(A);
          }
          return null;
        }));
      }
      // a taker running alongside: what it takes plus what is left is everything shed
      Future<Long> taker = pool.submit(() -> {
        start.await();
        long taken = 0;
        while (!shedders.stream().allMatch(Future::isDone)) {
          taken += s.take(A);
        }
        return taken;
      });
      start.countDown();
      for (Future<?> f : shedders) {
        f.get(120, TimeUnit.SECONDS);
      }
      long taken = taker.get(120, TimeUnit.SECONDS) + s.take(A);
      assertThat(taken).isEqualTo((long) threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }
}
