package dev.loralab.benchmarks.e2e;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Samples the stack's backlog gauges during a step ({@code ns_uplinks_in_flight}, the network
 * server's uplinks in flight, and {@code loralab_gs_udp_pending}, the gateway server's datagrams
 * read and not yet processed) from its {@code /metrics}, every {@code periodMillis}. A step's end
 * values say nothing of the moments after a collection pause or a compaction burst where the
 * backlog nears the overload bounds ({@code network-server.max-uplinks-in-flight},
 * {@code gateway-server.max-pending-datagrams}); the peaks and high percentiles do.
 */
final class StackBacklogSampler implements AutoCloseable {

  /** The sampled gauges. */
  static final List<String> GAUGES = List.of("ns_uplinks_in_flight", "loralab_gs_udp_pending");

  private final Callable<String> metrics;
  private final long periodMillis;
  private final double[][] values = new double[GAUGES.size()][];
  private int samples;
  private int failures;
  private volatile boolean closed;
  private Thread thread;

  /**
   * @param metrics      reads the stack's {@code /metrics} text
   * @param periodMillis time between two samples
   */
  StackBacklogSampler(Callable<String> metrics, long periodMillis) {
    if (periodMillis < 1) {
      throw new IllegalArgumentException("periodMillis: expected >= 1, found " + periodMillis);
    }
    this.metrics = metrics;
    this.periodMillis = periodMillis;
    for (int g = 0; g < values.length; g++) {
      values[g] = new double[1024];
    }
  }

  /** Starts sampling on a daemon thread until {@link #close}. */
  StackBacklogSampler start() {
    thread = new Thread(() -> {
      while (!closed) {
        long t0 = System.nanoTime();
        try {
          sample(metrics.call());
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          failed();
        }
        long sleep = periodMillis - (System.nanoTime() - t0) / 1_000_000;
        if (sleep > 0) {
          try {
            Thread.sleep(sleep);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "backlog-sampler");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Records one {@code /metrics} text; a gauge it lacks counts as 0. */
  synchronized void sample(String metricsText) {
    StackCounters c = StackCounters.parse(metricsText);
    if (samples == values[0].length) {
      for (int g = 0; g < values.length; g++) {
        values[g] = Arrays.copyOf(values[g], samples * 2);
      }
    }
    for (int g = 0; g < values.length; g++) {
      values[g][samples] = c.value(GAUGES.get(g));
    }
    samples++;
  }

  private synchronized void failed() {
    failures++;
  }

  /**
   * The report: {@code samples}, {@code failed_reads}, and per gauge its {@code max} and the
   * 99th and 90th percentiles of the samples (nearest rank).
   */
  synchronized Map<String, Object> report() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("period_ms", periodMillis);
    r.put("samples", samples);
    r.put("failed_reads", failures);
    for (int g = 0; g < values.length; g++) {
      double[] sorted = Arrays.copyOf(values[g], samples);
      Arrays.sort(sorted);
      Map<String, Object> gauge = new LinkedHashMap<>();
      gauge.put("max", samples == 0 ? 0 : Math.round(sorted[samples - 1]));
      gauge.put("p99", Math.round(rank(sorted, 0.99)));
      gauge.put("p90", Math.round(rank(sorted, 0.90)));
      r.put(GAUGES.get(g), gauge);
    }
    return r;
  }

  private static double rank(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** Stops sampling (waits for the sampling thread). */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      thread.join(10_000);
    }
  }
}
