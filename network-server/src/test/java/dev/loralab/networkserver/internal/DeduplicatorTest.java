package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.networkserver.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {

  static UplinkMessage copy(String gw, String id) {
    return UplinkMessage.newBuilder().addRxMetadata(RxMetadata.newBuilder()
        .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId(gw))).addCorrelationIds(id)
        .build();
  }

  @Test
  void mergeKeepsEveryGatewayAndTheUnionOfCorrelationIdsUpToTheLimit() {
    UplinkMessage m = Deduplicator.merge(List.of(copy("a", "x:1"), copy("b", "x:2"),
        copy("c", "x:1")), 2);
    assertThat(m.getRxMetadataList()).extracting(r -> r.getGatewayIds().getGatewayId())
        .containsExactly("a", "b");
    assertThat(m.getCorrelationIdsList()).containsExactly("x:1", "x:2");
  }

  @Test
  void copiesMergeOnceLateCopiesAreReportedAndOverloadIsBounded() {
    // virtual time: the window closes exactly when the test advances past it, however slow the
    // machine is
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = new Deduplicator(Duration.ofMillis(50), Duration.ofMinutes(1), 2, 8, timer,
          out::add);
      Bytes k = Bytes.of(new byte[] {1});
      assertThat(d.add(k, copy("a", "x:1"))).isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(d.add(k, copy("b", "x:2"))).isEqualTo(Deduplicator.Outcome.MERGED);
      assertThat(d.add(Bytes.of(new byte[] {2}), copy("a", "x:3")))
          .isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(d.add(Bytes.of(new byte[] {3}), copy("a", "x:4")))
          .isEqualTo(Deduplicator.Outcome.OVERLOADED);
      timer.advance(Duration.ofMillis(49));
      assertThat(out).isEmpty();
      assertThat(d.add(k, copy("c", "x:5"))).isEqualTo(Deduplicator.Outcome.MERGED);
      timer.advance(Duration.ofMillis(1));
      assertThat(out).hasSize(2);
      assertThat(out.stream().mapToInt(UplinkMessage::getRxMetadataCount).sum()).isEqualTo(4);
      assertThat(out.get(0).getCorrelationIdsList()).containsExactly("x:1", "x:2", "x:5");
      // in the cooldown: a late copy; cooling windows do not count towards the open limit
      assertThat(d.add(k, copy("d", "x:6"))).isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
      assertThat(d.add(Bytes.of(new byte[] {3}), copy("a", "x:7")))
          .isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(d.add(Bytes.of(new byte[] {4}), copy("a", "x:8")))
          .isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(d.add(Bytes.of(new byte[] {5}), copy("a", "x:9")))
          .isEqualTo(Deduplicator.Outcome.OVERLOADED);
      // after the cooldowns the same payload opens a new window
      timer.advance(Duration.ofMinutes(2));
      assertThat(d.size()).isZero();
      assertThat(d.add(k, copy("e", "x:10"))).isEqualTo(Deduplicator.Outcome.OPENED);
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void beyondTheCoolingBoundAClosingWindowSkipsItsCooldownAndNoUplinkIsDropped() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = new Deduplicator(Duration.ofMillis(50), Duration.ofMinutes(1), 1, 2, 8,
          false, 1, timer, out::add);
      for (int i = 0; i < 4; i++) {
        assertThat(d.add(Bytes.of(new byte[] {(byte) i}), copy("a", "x:" + i)))
            .isEqualTo(Deduplicator.Outcome.OPENED);
        timer.advance(Duration.ofMillis(50));
      }
      assertThat(out).hasSize(4);
      // two windows cool down; the other two were forgotten when they closed
      assertThat(d.size()).isEqualTo(2);
      assertThat(d.add(Bytes.of(new byte[] {0}), copy("b", "x:5")))
          .isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
      assertThat(d.add(Bytes.of(new byte[] {3}), copy("b", "x:6")))
          .isEqualTo(Deduplicator.Outcome.OPENED);
    } finally {
      timer.shutdownNow();
    }
  }

  // ------------------------------------------------------------- early close and order

  static final DevAddr ADDR = new DevAddr(0x26011BDA);
  static final DevAddr OTHER = new DevAddr(0x26011BDB);
  static final Duration WINDOW = Duration.ofMillis(50);

  static Bytes frame(int n) {
    return Bytes.of(new byte[] {(byte) n});
  }

  static UplinkMessage antennaCopy(String gw, int antenna, String id) {
    return UplinkMessage.newBuilder().addRxMetadata(RxMetadata.newBuilder()
        .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId(gw))
        .setAntennaIndex(antenna)).addCorrelationIds(id).build();
  }

  static Deduplicator earlyClosing(ManualScheduler timer, List<UplinkMessage> out) {
    return new Deduplicator(WINDOW, Duration.ofMinutes(1), 100, 1000, 8, true, 1024, timer,
        out::add);
  }

  /** Opens and closes (full window) one uplink of {@code addr} heard by {@code gateways}. */
  static void heardBy(Deduplicator d, ManualScheduler timer, DevAddr addr, int frame,
      String... gateways) {
    for (String gw : gateways) {
      d.add(frame(frame), addr, copy(gw, "set:" + frame + gw));
    }
    timer.advance(WINDOW);
  }

  @Test
  void aWindowClosesAsSoonAsItHoldsTheGatewaysOfTheDevAddrsPreviousUplink() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = earlyClosing(timer, out);
      // the first uplink of the DevAddr has nothing to go by: the full window
      assertThat(d.add(frame(1), ADDR, copy("a", "x:1"))).isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(d.add(frame(1), ADDR, copy("b", "x:2"))).isEqualTo(Deduplicator.Outcome.MERGED);
      timer.advance(WINDOW.minusNanos(1));
      assertThat(out).isEmpty();
      timer.advance(Duration.ofNanos(1));
      assertThat(out).hasSize(1);

      // two gateways expected: the second copy closes the window, no time passing
      assertThat(d.add(frame(2), ADDR, copy("b", "x:3"))).isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(out).hasSize(1);
      assertThat(d.add(frame(2), ADDR, copy("a", "x:4"))).isEqualTo(Deduplicator.Outcome.MERGED);
      assertThat(out).hasSize(2);
      assertThat(out.get(1).getRxMetadataCount()).isEqualTo(2);
      assertThat(out.get(1).getCorrelationIdsList()).containsExactly("x:3", "x:4");

      // a third gateway after the early close is absorbed, and the window is not handed on again
      assertThat(d.add(frame(2), ADDR, copy("c", "x:5")))
          .isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
      timer.advance(WINDOW);
      assertThat(out).hasSize(2);

      // ... but it counts: the next uplink waits for three gateways
      d.add(frame(3), ADDR, copy("a", "x:6"));
      d.add(frame(3), ADDR, copy("b", "x:7"));
      assertThat(out).hasSize(2);
      d.add(frame(3), ADDR, copy("c", "x:8"));
      assertThat(out).hasSize(3);
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void aWindowClosedEarlyAbsorbsLateCopiesAsLongAsAFullWindowWould() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Duration cooldown = Duration.ofMinutes(1);
      Deduplicator d = new Deduplicator(WINDOW, cooldown, 100, 1000, 8, true, 1024, timer,
          out::add);
      heardBy(d, timer, ADDR, 1, "a");
      // closed at once: one gateway expected
      assertThat(d.add(frame(2), ADDR, copy("a", "x:1"))).isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(out).hasSize(2);
      // without the early close the cooldown would end at window + cooldown from now
      timer.advance(WINDOW.plus(cooldown).minusNanos(1));
      assertThat(d.add(frame(2), ADDR, copy("b", "x:2")))
          .isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
      timer.advance(Duration.ofNanos(1));
      assertThat(d.size()).isZero();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void copiesOfOneReceptionCountOnceAndFewerGatewaysWaitTheFullWindow() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = earlyClosing(timer, out);
      heardBy(d, timer, ADDR, 1, "a", "b");
      assertThat(out).hasSize(1);
      // gateway a twice is not two gateways
      d.add(frame(2), ADDR, copy("a", "x:1"));
      assertThat(d.add(frame(2), ADDR, copy("a", "x:2"))).isEqualTo(Deduplicator.Outcome.MERGED);
      timer.advance(WINDOW.minusNanos(1));
      assertThat(out).hasSize(1);
      timer.advance(Duration.ofNanos(1));
      assertThat(out).hasSize(2);
      // one gateway heard it: from now on one copy closes the window at once
      assertThat(d.add(frame(3), ADDR, copy("a", "x:3"))).isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(out).hasSize(3);
      // two antennas of one gateway are two receptions
      d.add(frame(4), OTHER, antennaCopy("a", 0, "y:1"));
      d.add(frame(4), OTHER, antennaCopy("a", 1, "y:2"));
      timer.advance(WINDOW);
      assertThat(out).hasSize(4);
      d.add(frame(5), OTHER, antennaCopy("a", 1, "y:3"));
      assertThat(out).hasSize(4);
      d.add(frame(5), OTHER, antennaCopy("a", 0, "y:4"));
      assertThat(out).hasSize(5);
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void withoutEarlyCloseEveryWindowLastsItsFullLength() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = new Deduplicator(WINDOW, Duration.ofMinutes(1), 100, 1000, 8, false, 1024,
          timer, out::add);
      heardBy(d, timer, ADDR, 1, "a");
      assertThat(out).hasSize(1);
      d.add(frame(2), ADDR, copy("a", "x:1"));
      timer.advance(WINDOW.minusNanos(1));
      assertThat(out).hasSize(1);
      timer.advance(Duration.ofNanos(1));
      assertThat(out).hasSize(2);
      assertThat(d.add(frame(2), ADDR, copy("b", "x:2")))
          .isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void windowsOfOneDevAddrAreHandedOnInTheOrderTheyOpened() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = earlyClosing(timer, out);
      heardBy(d, timer, ADDR, 1, "a", "b");
      heardBy(d, timer, OTHER, 2, "a");
      out.clear();
      // uplink 3 waits for a second gateway; uplink 4 has both and closes first
      d.add(frame(3), ADDR, copy("a", "x:3"));
      d.add(frame(4), ADDR, copy("a", "x:4"));
      d.add(frame(4), ADDR, copy("b", "x:4b"));
      assertThat(out).isEmpty();
      // another DevAddr is not held up
      d.add(frame(5), OTHER, copy("a", "y:5"));
      assertThat(out).extracting(m -> m.getCorrelationIds(0)).containsExactly("y:5");
      timer.advance(WINDOW);
      assertThat(out).extracting(m -> m.getCorrelationIds(0))
          .containsExactly("y:5", "x:3", "x:4");
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void concurrentCopiesAreHandedOnOnceEachAndInOrderPerDevAddr() throws Exception {
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      int threads = 4;
      int addrsPerThread = 8;
      int uplinks = 150;
      ConcurrentHashMap<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
      AtomicInteger handedOn = new AtomicInteger();
      AtomicInteger overloaded = new AtomicInteger();
      Deduplicator d = new Deduplicator(Duration.ofMillis(1), Duration.ofMillis(20), 1_000_000, 1_000_000,
          8, true, 1024, timer, m -> {
            byte[] key = m.getRawPayload().toByteArray();
            int addr = java.nio.ByteBuffer.wrap(key).getInt(0);
            int n = java.nio.ByteBuffer.wrap(key).getInt(4);
            // never concurrently for one DevAddr: a plain list per DevAddr is enough
            seen.computeIfAbsent(addr, k -> new ArrayList<>()).add(n);
            handedOn.incrementAndGet();
          });
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(senders.submit(() -> {
          SplittableRandom random = new SplittableRandom(thread);
          for (int n = 0; n < uplinks; n++) {
            for (int a = 0; a < addrsPerThread; a++) {
              int addr = thread * addrsPerThread + a;
              byte[] key = java.nio.ByteBuffer.allocate(8).putInt(addr).putInt(n).array();
              int gateways = 1 + random.nextInt(3);
              for (int g = 0; g < gateways; g++) {
                UplinkMessage c = copy("gw" + random.nextInt(4), "x:" + addr + "-" + n)
                    .toBuilder().setRawPayload(ByteString.copyFrom(key)).build();
                if (d.add(Bytes.of(key), new DevAddr(addr), c)
                    == Deduplicator.Outcome.OVERLOADED) {
                  overloaded.incrementAndGet();
                }
              }
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      int total = threads * addrsPerThread * uplinks;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (handedOn.get() < total && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(overloaded.get()).isZero();
      assertThat(handedOn.get()).isEqualTo(total);
      for (List<Integer> l : seen.values()) {
        assertThat(l).hasSize(uplinks).isSorted().doesNotHaveDuplicates();
      }
    } finally {
      senders.shutdownNow();
      timer.shutdownNow();
    }
  }
}
