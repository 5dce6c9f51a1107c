package dev.loralab.networkserver.internal;

import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.Bytes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Collects the copies of one uplink (same PHYPayload) heard by several gateways. The first copy
 * opens a window; copies arriving in the window are merged; when it closes, the merged uplink
 * (rx_metadata of every copy, union of correlation IDs) is handed on once. Copies arriving in the
 * cooldown after the window are reported as late duplicates.
 */
public final class Deduplicator {

  /** What happened to a copy. */
  public enum Outcome {
    /** First copy: a window opened. */
    OPENED,
    /** Merged into an open window. */
    MERGED,
    /** Arrived in the cooldown: dropped. */
    LATE_DUPLICATE,
    /** Too many open windows: dropped. */
    OVERLOADED
  }

  private static final class Window {
    final List<UplinkMessage> copies = new ArrayList<>();
    boolean closed;
  }

  private final Duration window;
  private final Duration cooldown;
  private final int maxOpen;
  private final int maxRxMetadata;
  private final ScheduledExecutorService timer;
  private final Consumer<UplinkMessage> onClose;
  private final ConcurrentHashMap<Bytes, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param onClose receives each merged uplink, on a {@code timer} thread
   */
  public Deduplicator(Duration window, Duration cooldown, int maxOpen, int maxRxMetadata,
      ScheduledExecutorService timer, Consumer<UplinkMessage> onClose) {
    this.window = Objects.requireNonNull(window, "window");
    this.cooldown = Objects.requireNonNull(cooldown, "cooldown");
    this.maxOpen = maxOpen;
    this.maxRxMetadata = maxRxMetadata;
    this.timer = Objects.requireNonNull(timer, "timer");
    this.onClose = Objects.requireNonNull(onClose, "onClose");
  }

  /** Adds one copy; {@code key} is the raw PHYPayload. */
  public Outcome add(Bytes key, UplinkMessage copy) {
    Window fresh = new Window();
    fresh.copies.add(copy);
    if (windows.size() >= maxOpen && !windows.containsKey(key)) {
      return Outcome.OVERLOADED;
    }
    Window w = windows.putIfAbsent(key, fresh);
    if (w == null) {
      try {
        timer.schedule(() -> close(key, fresh), window.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        windows.remove(key, fresh);
        return Outcome.OVERLOADED;
      }
      return Outcome.OPENED;
    }
    synchronized (w) {
      if (w.closed) {
        return Outcome.LATE_DUPLICATE;
      }
      w.copies.add(copy);
      return Outcome.MERGED;
    }
  }

  /** Number of open or cooling-down windows. */
  public int size() {
    return windows.size();
  }

  private void close(Bytes key, Window w) {
    List<UplinkMessage> copies;
    synchronized (w) {
      w.closed = true;
      copies = List.copyOf(w.copies);
    }
    try {
      timer.schedule(() -> windows.remove(key, w), cooldown.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      windows.remove(key, w);
    }
    onClose.accept(merge(copies, maxRxMetadata));
  }

  /** The first copy with the rx_metadata of every copy and the union of correlation IDs. */
  static UplinkMessage merge(List<UplinkMessage> copies, int maxRxMetadata) {
    UplinkMessage.Builder b = copies.get(0).toBuilder().clearRxMetadata().clearCorrelationIds();
    TreeSet<String> ids = new TreeSet<>();
    int n = 0;
    for (UplinkMessage c : copies) {
      ids.addAll(c.getCorrelationIdsList());
      for (var md : c.getRxMetadataList()) {
        if (n++ < maxRxMetadata) {
          b.addRxMetadata(md);
        }
      }
    }
    return b.addAllCorrelationIds(ids).build();
  }
}
