package dev.loralab.identityserver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ReadCountsTest {

  @Test
  void countsOfOneThreadAreExact() {
    ReadCounts c = new ReadCounts();
    for (int i = 0; i < 5; i++) {
      c.hit();
    }
    c.miss();
    assertEquals(5, c.hits());
    assertEquals(1, c.misses());
  }

  /** More threads than stripes, so that some share one: still no count is lost. */
  @Test
  void countsOfThreadsSharingStripesAreExact() throws InterruptedException {
    ReadCounts c = new ReadCounts();
    int threads = ReadCounts.STRIPES + 8;
    int each = 10_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < each; i++) {
          c.hit();
          if (i % 10 == 0) {
            c.miss();
          }
        }
      });
      th.start();
      all.add(th);
    }
    start.countDown();
    for (Thread th : all) {
      th.join();
    }
    assertEquals((long) threads * each, c.hits());
    assertEquals((long) threads * (each / 10), c.misses());
  }
}
