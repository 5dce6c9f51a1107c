package dev.loralab.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * What the default event history keeps in the heap, and what the events of an uplink cost in
 * process CPU time (all threads, GC included): publishes the uplinks of {@link EventHistoryBenchmark}
 * (the default bounds are reached after ~20,000 uplinks: 100,000 correlation IDs, five new ones per
 * uplink), then reports the CPU time per uplink of the second half and the heap left after a full GC,
 * with and without a subscriber that renders each {@code as.up.data.forward} event's JSON (as the
 * end-to-end measuring stream does). Not a JMH benchmark: on a shared machine CPU time is steadier
 * than wall time when, as here, GC work on the history's live set dominates.
 *
 * <pre>{@code java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.loralab.benchmarks.EventHistoryFootprint [uplinks]}</pre>
 */
public final class EventHistoryFootprint {

  private EventHistoryFootprint() {
  }

  public static void main(String[] args) {
    int uplinks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
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
      for (int i = uplinks / 2; i < uplinks; i++) {
        b.uplink();
      }
      double cpuPerUplink = (os.getProcessCpuTime() - cpu) / 1e3 / (uplinks - uplinks / 2);
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed() - empty;
      System.out.printf("%s: %,d uplinks published, %.1f us CPU per uplink (second half), %.1f MB live after"
          + " full GC; %,d JSON characters rendered%n",
          rendering ? "with a rendering subscriber" : "no subscriber", uplinks, cpuPerUplink, used / 1e6,
          b.rendered);
      b = null;
      System.gc();
    }
  }
}
