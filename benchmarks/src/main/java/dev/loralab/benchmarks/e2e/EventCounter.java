package dev.loralab.benchmarks.e2e;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Reads a newline-delimited event stream of {@code as.up.data.forward} events and records, per
 * uplink sequence number ({@code (FCnt - offset - fCntStart) * devices + device index}, the offset
 * from {@link UplinkFrames#fCntOffset}), whether it
 * arrived, plus the latency from the gateway server's receive time ({@code rx_metadata[0].received_at})
 * to the event's {@code time}. Field extraction is a plain text scan, to keep the measuring JVM cheap.
 */
final class EventCounter implements Runnable {

  private final InputStream in;
  private final int devices;
  private final int fCntSpread;
  private volatile Window window;
  private volatile long lastEventMillis;
  private volatile long events;
  private volatile long lagMissed;
  private volatile Throwable failure;

  /** One measurement step: uplinks with FCnt in [fCntStart, fCntStart + rounds). */
  static final class Window {
    final long fCntStart;
    final long total;
    final BitSet seen;
    long duplicates;
    long outside;
    long[] latencyMicros = new long[1 << 16];
    int latencies;
    long firstEventMillis;
    long lastEventMillis;

    /** Counts {@code ns.up.join.process} of the OTAA devices (DevNonce instead of FCnt) when true. */
    final boolean join;
    final int devices;

    Window(long fCntStart, long total) {
      this(fCntStart, total, false, 0);
    }

    Window(long fCntStart, long total, boolean join, int devices) {
      this.join = join;
      this.devices = devices;
      this.fCntStart = fCntStart;
      this.total = total;
      this.seen = new BitSet((int) Math.min(Integer.MAX_VALUE, total));
    }

    synchronized void add(long seq, long latencyMicros, long nowMillis) {
      if (seq < 0 || seq >= total) {
        outside++;
        return;
      }
      if (seen.get((int) seq)) {
        duplicates++;
        return;
      }
      seen.set((int) seq);
      if (firstEventMillis == 0) {
        firstEventMillis = nowMillis;
      }
      lastEventMillis = nowMillis;
      if (latencyMicros >= 0) {
        if (latencies == latencyMicros().length) {
          this.latencyMicros = Arrays.copyOf(this.latencyMicros, latencies * 2);
        }
        this.latencyMicros[latencies++] = latencyMicros;
      }
    }

    private long[] latencyMicros() {
      return latencyMicros;
    }

    synchronized long delivered() {
      return seen.cardinality();
    }

    synchronized long percentileMicros(double p) {
      if (latencies == 0) {
        return -1;
      }
      long[] s = Arrays.copyOf(latencyMicros, latencies);
      Arrays.sort(s);
      return s[(int) Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
    }
  }

  EventCounter(InputStream in, int devices) {
    this(in, devices, 0);
  }

  /** @param fCntSpread the generator's {@code --fcnt-spread} (device i's FCnts run its offset ahead) */
  EventCounter(InputStream in, int devices, int fCntSpread) {
    this.in = in;
    this.devices = devices;
    this.fCntSpread = fCntSpread;
  }

  void window(Window w) {
    this.window = w;
  }

  long events() {
    return events;
  }

  long lastEventMillis() {
    return lastEventMillis;
  }

  long lagMissed() {
    return lagMissed;
  }

  Throwable failure() {
    return failure;
  }

  @Override
  public void run() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        long now = System.currentTimeMillis();
        lastEventMillis = now;
        events++;
        if (line.contains("\"events.stream.lag\"")) {
          String missed = field(line, "\"missed\":", 0);
          if (missed != null) {
            lagMissed += (long) Double.parseDouble(missed);
          }
          continue;
        }
        Window w = window;
        if (w == null) {
          continue;
        }
        long seq;
        if (w.join) {
          if (!line.contains("\"ns.up.join.process\"")) {
            continue;
          }
          String devId = quoted(line, "\"device_id\":\"", 0);
          String nonce = quoted(line, "\"dev_nonce\":\"", 0);
          if (devId == null || nonce == null || !devId.startsWith("join-")) {
            continue;
          }
          seq = (Long.parseLong(nonce, 16) - w.fCntStart) * w.devices + Integer.parseInt(devId.substring(5));
        } else {
          if (!line.contains("\"as.up.data.forward\"")) {
            continue;
          }
          String devId = quoted(line, "\"device_id\":\"", 0);
          String fCnt = field(line, "\"f_cnt\":", line.indexOf("\"uplink_message\""));
          if (devId == null || fCnt == null || !devId.startsWith("dev-")) {
            continue;
          }
          int dev = Integer.parseInt(devId.substring(4));
          seq = (Long.parseLong(fCnt) - UplinkFrames.fCntOffset(dev, fCntSpread) - w.fCntStart) * devices + dev;
        }
        long latency = -1;
        String time = quoted(line, "\"time\":\"", 0);
        int md = line.indexOf("\"rx_metadata\":[");
        String received = md < 0 ? null : quoted(line, "\"received_at\":\"", md);
        if (time != null && received != null) {
          Instant t = Instant.parse(time);
          Instant rcv = Instant.parse(received);
          latency = (t.getEpochSecond() - rcv.getEpochSecond()) * 1_000_000L + (t.getNano() - rcv.getNano()) / 1000;
        }
        w.add(seq, latency, now);
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private static String quoted(String s, String key, int from) {
    int i = s.indexOf(key, Math.max(0, from));
    if (i < 0) {
      return null;
    }
    int start = i + key.length();
    int end = s.indexOf('"', start);
    return end < 0 ? null : s.substring(start, end);
  }

  private static String field(String s, String key, int from) {
    int i = s.indexOf(key, Math.max(0, from));
    if (i < 0) {
      return null;
    }
    int start = i + key.length();
    int end = start;
    while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.' || s.charAt(end) == '-'
        || s.charAt(end) == 'e' || s.charAt(end) == 'E' || s.charAt(end) == '+')) {
      end++;
    }
    String v = s.substring(start, end).replace("\"", "");
    return v.isEmpty() ? null : v;
  }
}
