package dev.loralab.benchmarks;

import dev.loralab.events.EventsConfig;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;

/**
 * What the default event history keeps in the heap, and what the events of an uplink cost in
 * process CPU time (all threads, GC included): publishes the uplinks of {@link EventHistoryBenchmark}
 * (the default bounds are reached after ~20,000 uplinks: 100,000 correlation IDs, five new ones per
 * uplink), then reports the CPU time per uplink of the second half (of the publishing thread, and of
 * the other threads: the garbage collector's work on the history's live set, and JIT) and the heap left after a full GC,
 * with and without a subscriber that renders each {@code as.up.data.forward} event's JSON (as the
 * end-to-end measuring stream does), and that heap per retained event (the events of the last
 * {@code correlationMaxIds / 5} uplinks, seven per uplink, with the indexes' share). Not a JMH benchmark: on a shared machine CPU time is steadier
 * than wall time when, as here, GC work on the history's live set dominates.
 *
 * <pre>{@code java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.loralab.benchmarks.EventHistoryFootprint [uplinks]}</pre>
 */
public final class EventHistoryFootprint {

  private EventHistoryFootprint() {
  }

  /** Milliseconds spent in and number of collections so far, all collectors. */
  private static long[] gcTimeAndCount() {
    long time = 0;
    long count = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      time += Math.max(0, gc.getCollectionTime());
      count += Math.max(0, gc.getCollectionCount());
    }
    return new long[] {time, count};
  }

  public static void main(String[] args) {
    int uplinks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.gc();
    long empty = memory.getHeapMemoryUsage().getUsed();
    for (boolean rendering : new boolean[] {false, true}) {
      EventHistoryBenchmark b = new EventHistoryBenchmark();
      b.devices = 10_000;
      b.renderingSubscriber = rendering;
      b.setup();
      for (int i = 0; i < uplinks / 2; i++) {
        b.uplink();
      }
      long cpu = os.getProcessCpuTime();
      long mutator = threads.getCurrentThreadCpuTime();
      long[] gc = gcTimeAndCount();
      for (int i = uplinks / 2; i < uplinks; i++) {
        b.uplink();
      }
      double cpuPerUplink = (os.getProcessCpuTime() - cpu) / 1e3 / (uplinks - uplinks / 2);
      double mutatorPerUplink = (threads.getCurrentThreadCpuTime() - mutator) / 1e3 / (uplinks - uplinks / 2);
      long[] gcAfter = gcTimeAndCount();
      System.out.printf("  second half: %,d collections, %,d ms in collections (%.1f us per uplink)%n",
          gcAfter[1] - gc[1], gcAfter[0] - gc[0], (gcAfter[0] - gc[0]) * 1e3 / (uplinks - uplinks / 2));
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed() - empty;
      // The correlation index's bound decides what is retained: five new IDs per uplink, so the
      // events of the last correlationMaxIds / 5 uplinks (the entity logs hold a subset of them).
      long retainedEvents = Math.min(uplinks, EventsConfig.defaults().correlationMaxIds() / 5) * 7L;
      System.out.printf("%s: %,d uplinks published, %.1f us CPU per uplink (second half: %.1f us publishing"
          + " thread, %.1f us other threads, i.e. GC and JIT), %.1f MB live after full GC (%.0f bytes per retained"
          + " event, ~%,d events, indexes included); %,d JSON characters rendered%n",
          rendering ? "with a rendering subscriber" : "no subscriber", uplinks, cpuPerUplink, mutatorPerUplink,
          cpuPerUplink - mutatorPerUplink, used / 1e6,
          (double) used / retainedEvents, retainedEvents, b.rendered);
      b = null;
      System.gc();
    }
  }
}
