package dev.loralab.benchmarks;

import dev.loralab.events.Event;
import dev.loralab.events.EventsConfig;
import dev.loralab.events.InMemoryEventHistory;
import java.lang.management.ManagementFactory;
import java.time.Clock;

/**
 * The CPU of {@link InMemoryEventHistory#record} alone, per uplink: the seven events of each of
 * {@code uplinks} uplinks of {@link EventHistoryBenchmark} (10,000 devices) are built first, then
 * recorded into a default history round after round (a round's correlation IDs outnumber the
 * default bound of 100,000 indexed IDs, so every round indexes its IDs anew, as new uplinks do),
 * and the recording thread's CPU time is reported per uplink for each measured round. Not a JMH
 * benchmark: event building is left out, and the minimum over rounds is robust on a shared machine.
 *
 * <pre>{@code java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.loralab.benchmarks.EventHistoryRecordCpu [uplinks] [warmupRounds] [rounds]}</pre>
 */
public final class EventHistoryRecordCpu {

  private EventHistoryRecordCpu() {
  }

  public static void main(String[] args) {
    int uplinks = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    EventHistoryBenchmark b = new EventHistoryBenchmark();
    b.devices = 10_000;
    b.setup();
    Event[][] events = new Event[uplinks][];
    for (int i = 0; i < uplinks; i++) {
      events[i] = b.build();
    }
    InMemoryEventHistory history = new InMemoryEventHistory(EventsConfig.defaults(), Clock.systemUTC());
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    double min = Double.MAX_VALUE;
    double sum = 0;
    StringBuilder all = new StringBuilder();
    for (int r = 0; r < warmup + rounds; r++) {
      long cpu = threads.getCurrentThreadCpuTime();
      for (Event[] uplink : events) {
        for (Event e : uplink) {
          history.record(e);
        }
      }
      double perUplink = (threads.getCurrentThreadCpuTime() - cpu) / (double) uplinks;
      if (r >= warmup) {
        min = Math.min(min, perUplink);
        sum += perUplink;
        all.append(String.format(" %.0f", perUplink));
      }
    }
    System.out.printf("record CPU per uplink (7 events): min %.0f ns, mean %.0f ns; rounds:%s%n", min, sum / rounds, all);
  }
}
