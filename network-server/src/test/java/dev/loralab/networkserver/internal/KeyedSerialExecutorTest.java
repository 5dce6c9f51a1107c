package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedSerialExecutorTest {

  @Test
  void tasksOfOneKeyRunInOrderAndNeverConcurrently() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      KeyedSerialExecutor ex = new KeyedSerialExecutor(pool);
      int keys = 8;
      int perKey = 500;
      List<List<Integer>> seen = new ArrayList<>();
      AtomicInteger[] running = new AtomicInteger[keys];
      AtomicInteger overlaps = new AtomicInteger();
      for (int k = 0; k < keys; k++) {
        seen.add(new ArrayList<>());
        running[k] = new AtomicInteger();
      }
      CountDownLatch done = new CountDownLatch(keys * perKey);
      for (int i = 0; i < perKey; i++) {
        for (int k = 0; k < keys; k++) {
          int key = k;
          int n = i;
          ex.execute("k" + k, () -> {
            if (running[key].incrementAndGet() != 1) {
              overlaps.incrementAndGet();
            }
            seen.get(key).add(n);
            running[key].decrementAndGet();
            done.countDown();
          });
        }
      }
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(overlaps.get()).isZero();
      for (List<Integer> l : seen) {
        for (int i = 0; i < perKey; i++) {
          assertThat(l.get(i)).isEqualTo(i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
