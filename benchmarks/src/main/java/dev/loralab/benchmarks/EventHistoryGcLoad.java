package dev.loralab.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.loralab.events.Event;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The garbage-collection cost of the default event history under load: publishes the uplinks of
 * {@link EventHistoryBenchmark} (seven events each, default bounds, no subscriber) as fast as one
 * thread can for a warm-up and then a measured period, and reports for the measured period the
 * collections (count and time per collector), the bytes promoted to the old generation by young
 * collections (growth of the old-generation pools across each young collection), the bytes the
 * publishing thread allocated, and the CPU time of the process and of the publishing thread, per uplink. Not a JMH benchmark: what matters is the collector's
 * work on the history's live set, which JMH's per-operation scores hide.
 *
 * <pre>{@code java -Xms1g -Xmx1g -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar dev.loralab.benchmarks.EventHistoryGcLoad [warmupSeconds] [seconds]}</pre>
 */
public final class EventHistoryGcLoad {

  private EventHistoryGcLoad() {
  }

  /** Sums, over young collections, the growth of the old-generation pools. */
  private static final AtomicLong PROMOTED = new AtomicLong();

  private static boolean isOld(String pool) {
    return pool.contains("Old") || pool.contains("Tenured");
  }

  private static void listen() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(gc instanceof NotificationEmitter emitter)) {
        continue;
      }
      emitter.addNotificationListener((n, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
          return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (!info.getGcAction().contains("minor")) {
          return;
        }
        Map<String, MemoryUsage> before = info.getGcInfo().getMemoryUsageBeforeGc();
        Map<String, MemoryUsage> after = info.getGcInfo().getMemoryUsageAfterGc();
        long grown = 0;
        for (Map.Entry<String, MemoryUsage> e : after.entrySet()) {
          if (isOld(e.getKey()) && before.containsKey(e.getKey())) {
            grown += e.getValue().getUsed() - before.get(e.getKey()).getUsed();
          }
        }
        PROMOTED.addAndGet(Math.max(0, grown));
      }, null, null);
    }
  }

  private static long[] snapshot() {
    var beans = ManagementFactory.getGarbageCollectorMXBeans();
    long[] s = new long[beans.size() * 2];
    for (int i = 0; i < beans.size(); i++) {
      s[2 * i] = Math.max(0, beans.get(i).getCollectionCount());
      s[2 * i + 1] = Math.max(0, beans.get(i).getCollectionTime());
    }
    return s;
  }

  public static void main(String[] args) {
    double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    listen();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    EventHistoryBenchmark b = new EventHistoryBenchmark();
    b.devices = 10_000;
    b.setup();
    long sampleBytes = 0;
    int sampleEvents = 0;
    for (Event e : b.build()) {
      sampleBytes += e.toProto().getSerializedSize();
      sampleEvents++;
    }
    long end = System.nanoTime() + (long) (warmup * 1e9);
    while (System.nanoTime() < end) {
      b.uplink();
    }
    long[] gc = snapshot();
    long promoted = PROMOTED.get();
    long allocated = threads.getCurrentThreadAllocatedBytes();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long processCpu = os.getProcessCpuTime();
    long threadCpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    end = start + (long) (seconds * 1e9);
    long uplinks = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        b.uplink();
      }
      uplinks += 100;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
    processCpu = os.getProcessCpuTime() - processCpu;
    threadCpu = threads.getCurrentThreadCpuTime() - threadCpu;
    long[] gcAfter = snapshot();
    promoted = PROMOTED.get() - promoted;
    System.out.printf("%,d uplinks in %.1f s (%,.0f/s, %,.0f events/s); events ~%d bytes encoded on average%n",
        uplinks, elapsed, uplinks / elapsed, 7 * uplinks / elapsed, sampleBytes / sampleEvents);
    var beans = ManagementFactory.getGarbageCollectorMXBeans();
    long totalTime = 0;
    for (int i = 0; i < beans.size(); i++) {
      long count = gcAfter[2 * i] - gc[2 * i];
      long time = gcAfter[2 * i + 1] - gc[2 * i + 1];
      totalTime += time;
      System.out.printf("  %-22s %,6d collections %,8d ms%n", beans.get(i).getName(), count, time);
    }
    System.out.printf("  GC time %.1f %% of the period, %.2f us per uplink; promoted %,.1f MB (%,.0f bytes per uplink);"
        + " publishing thread allocated %,.0f bytes per uplink%n",
        100.0 * totalTime / (elapsed * 1000), totalTime * 1e3 / uplinks, promoted / 1e6, (double) promoted / uplinks,
        (double) allocated / uplinks);
    System.out.printf("  CPU per uplink: %.2f us process (%.2f us publishing thread, %.2f us other threads: GC, JIT)%n",
        processCpu / 1e3 / uplinks, threadCpu / 1e3 / uplinks, (processCpu - threadCpu) / 1e3 / uplinks);
  }
}
