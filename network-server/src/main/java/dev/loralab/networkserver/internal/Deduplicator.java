package dev.loralab.networkserver.internal;

import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the copies of one uplink (same PHYPayload) heard by several gateways. The first copy
 * opens a window; copies arriving in the window are merged; when it closes, the merged uplink
 * (rx_metadata of every copy, union of correlation IDs) is handed on once. Copies arriving in the
 * cooldown after the window are reported as late duplicates.
 *
 * <p><b>Order.</b> Data uplinks are added with their DevAddr: the windows of one DevAddr are
 * handed on one at a time, in the order they opened, even if a later one closes first (a window
 * that closes early, or two windows closing on two timer threads, waits for the older ones).
 *
 * <p><b>Early close.</b> If enabled, the deduplicator remembers per DevAddr how many distinct
 * gateway receptions (gateway and antenna) the last uplink of that DevAddr had, and closes a
 * window as soon as it holds that many; otherwise, and for the first uplink of a DevAddr, the
 * window lasts its full length. The count is taken when a window closes and raised by later
 * copies from new gateways in the cooldown, so a device heard by more gateways waits for them
 * next time and one heard by fewer is back to the full window once. A window closed early stays
 * in its cooldown at least as long as it would have after a full window.
 *
 * <p><b>Cooldown timers.</b> With a cooldown batch period of zero, each closed window has its own
 * timer ending its cooldown exactly. With a positive period {@code p}, closed windows share
 * timers: the first window to close when no batch of its cooldown length is open opens one and
 * keeps its own exact timer; windows closing in the next {@code p} join that batch, which is
 * sealed after {@code p} and forgotten together one cooldown after that. A cooldown is thus a
 * minimum: a window in a batch is forgotten up to {@code p} after its cooldown ended (a later
 * copy is a late duplicate a little longer), and under load there are about three timers per
 * period and cooldown length instead of one per uplink.
 */
public final class Deduplicator {

  private static final Logger LOG = LoggerFactory.getLogger(Deduplicator.class);

  /** Receives the merged uplinks. */
  @FunctionalInterface
  public interface MergedUplinks {
    /**
     * One merged uplink. Never called concurrently for one DevAddr; must not block.
     *
     * @param onAddingThread true if this runs on a thread adding a copy (the window closed early,
     *     because of that copy or an older window of the DevAddr did), false on a {@code timer}
     *     thread
     */
    void accept(UplinkMessage merged, boolean onAddingThread);
  }

  /** What happened to a copy. */
  public enum Outcome {
    /** First copy: a window opened (and may have closed at once, if one copy was expected). */
    OPENED,
    /** Merged into an open window (which may have closed because of it). */
    MERGED,
    /** Arrived in the cooldown: dropped. */
    LATE_DUPLICATE,
    /** Too many open windows (not counting those in their cooldown): dropped. */
    OVERLOADED
  }

  /** The copies of one uplink. Guarded by its own monitor until it is closed. */
  private static final class Window {
    final Bytes key;
    /** Null for uplinks without a DevAddr (join-requests): not ordered, never closed early. */
    final DevAddr devAddr;
    /** Receptions that close the window early; 0 to wait for the full window. */
    final int expected;
    final List<UplinkMessage> copies = new ArrayList<>(2);
    /**
     * Distinct receptions, at most {@link ExpectedCopies#MAX_COUNT}: only what identifies them, so
     * that a window in its cooldown (about a second, tens of thousands of windows under load) holds
     * no uplink's metadata and its objects die young.
     */
    final List<Reception> receptions = new ArrayList<>(2);
    /** The window's end, until it closed. */
    ScheduledFuture<?> timer;
    /** The DevAddr's sequence, until the window is handed on. */
    Sequence sequence;
    boolean closed;
    /** Set when closed, under the sequence's monitor: the window may be handed on. */
    UplinkMessage merged;

    Window(Bytes key, DevAddr devAddr, int expected) {
      this.key = key;
      this.devAddr = devAddr;
      this.expected = expected;
    }

    /** Adds the copy's receptions not seen yet; returns true if there was a new one. */
    boolean addReceptions(UplinkMessage copy) {
      boolean added = false;
      if (copy.getRxMetadataCount() == 0) {
        return addReception(RxMetadata.getDefaultInstance());
      }
      for (RxMetadata md : copy.getRxMetadataList()) {
        added |= addReception(md);
      }
      return added;
    }

    private boolean addReception(RxMetadata md) {
      if (receptions.size() >= ExpectedCopies.MAX_COUNT) {
        return false;
      }
      String gateway = md.getGatewayIds().getGatewayId();
      for (Reception r : receptions) {
        if (r.antenna() == md.getAntennaIndex() && r.gatewayId().equals(gateway)) {
          return false;
        }
      }
      receptions.add(new Reception(gateway, md.getAntennaIndex()));
      return true;
    }

    boolean complete() {
      return expected > 0 && receptions.size() >= expected;
    }
  }

  /** One distinct reception of an uplink: the gateway and its antenna. */
  private record Reception(String gatewayId, int antenna) {
  }

  /** The windows of one DevAddr not handed on yet, oldest first. Guarded by its monitor. */
  private static final class Sequence {
    final ArrayDeque<Window> waiting = new ArrayDeque<>(2);
    /** A thread is handing on the ready windows at the head. */
    boolean handingOn;
    /** Removed from the map: openers must take a new one. */
    boolean retired;
  }

  private final Duration window;
  /** Cooldown after a full window, and after an early close (a window longer). */
  private final Cooling afterWindow;
  private final Cooling afterEarlyClose;
  private final int maxOpen;
  private final int maxCooling;
  /** Windows inserted and not closed yet. */
  private final AtomicInteger open = new AtomicInteger();
  /** Closed windows waiting for the end of their cooldown. */
  private final AtomicInteger cooling = new AtomicInteger();
  private final int maxRxMetadata;
  /** Null when early close is off. */
  private final ExpectedCopies expectedCopies;
  private final ScheduledExecutorService timer;
  private final MergedUplinks onClose;
  private final ConcurrentHashMap<Bytes, Window> windows = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<DevAddr, Sequence> sequences = new ConcurrentHashMap<>();

  /**
   * A deduplicator whose windows always last {@code window}.
   *
   * @param onClose receives each merged uplink, on a {@code timer} thread
   */
  public Deduplicator(Duration window, Duration cooldown, int maxOpen, int maxRxMetadata,
      ScheduledExecutorService timer, Consumer<UplinkMessage> onClose) {
    this(window, cooldown, maxOpen, Integer.MAX_VALUE, maxRxMetadata, false, 1, timer, onClose);
  }

  /**
   * A deduplicator whose cooldowns end exactly, each closed window on its own timer.
   *
   * @see #Deduplicator(Duration, Duration, Duration, int, int, int, boolean, int,
   *     ScheduledExecutorService, MergedUplinks)
   */
  public Deduplicator(Duration window, Duration cooldown, int maxOpen, int maxCooling,
      int maxRxMetadata, boolean earlyClose, int rememberedDevAddrs, ScheduledExecutorService timer,
      Consumer<UplinkMessage> onClose) {
    this(window, cooldown, Duration.ZERO, maxOpen, maxCooling, maxRxMetadata, earlyClose,
        rememberedDevAddrs, timer, adapt(onClose));
  }

  /**
   * @param cooldownBatch zero: each closed window's cooldown ends exactly, on its own timer;
   *     positive: windows closing within this period share one timer, and each cooldown may end
   *     up to this period late (see the class description)
   * @param maxOpen open windows (collecting copies) beyond which new uplinks are dropped
   * @param maxCooling windows kept in their cooldown; beyond it a closing window skips it
   * @param earlyClose close a window as soon as it holds as many receptions as the previous
   *     uplink of its DevAddr had
   * @param rememberedDevAddrs how many DevAddrs the early close remembers (bounds its memory)
   * @param onClose receives each merged uplink (and whether on a thread adding a copy), on the
   *     thread that closed its window (a {@code timer} thread, or the one adding the copy that
   *     completed it early) or that closed an older window of its DevAddr; never concurrently for
   *     one DevAddr. It must not block.
   */
  public Deduplicator(Duration window, Duration cooldown, Duration cooldownBatch, int maxOpen,
      int maxCooling, int maxRxMetadata, boolean earlyClose, int rememberedDevAddrs,
      ScheduledExecutorService timer, MergedUplinks onClose) {
    this.window = Objects.requireNonNull(window, "window");
    Objects.requireNonNull(cooldown, "cooldown");
    Objects.requireNonNull(cooldownBatch, "cooldownBatch");
    if (cooldownBatch.isNegative()) {
      throw new IllegalArgumentException("cooldownBatch: expected >= 0, found " + cooldownBatch);
    }
    long batch = cooldownBatch.toNanos();
    this.afterWindow = new Cooling(cooldown.toNanos(), batch);
    this.afterEarlyClose = new Cooling(cooldown.toNanos() + window.toNanos(), batch);
    this.maxOpen = maxOpen;
    this.maxCooling = maxCooling;
    this.maxRxMetadata = maxRxMetadata;
    this.expectedCopies = earlyClose ? new ExpectedCopies(rememberedDevAddrs) : null;
    this.timer = Objects.requireNonNull(timer, "timer");
    this.onClose = Objects.requireNonNull(onClose, "onClose");
  }

  /**
   * Adds one copy of an uplink without a DevAddr (a join-request); {@code key} is the raw
   * PHYPayload. Its window is not ordered with others and lasts its full length.
   */
  public Outcome add(Bytes key, UplinkMessage copy) {
    return add(key, null, copy);
  }

  /**
   * Adds one copy of a data uplink; {@code key} is the raw PHYPayload, {@code devAddr} its
   * DevAddr. Windows of one DevAddr are handed on in the order they opened.
   */
  public Outcome add(Bytes key, DevAddr devAddr, UplinkMessage copy) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(copy, "copy");
    if (open.get() >= maxOpen && !windows.containsKey(key)) {
      return Outcome.OVERLOADED;
    }
    int expected = devAddr != null && expectedCopies != null
        ? expectedCopies.get(devAddr.value()) : 0;
    Window fresh = new Window(key, devAddr, expected);
    Window existing;
    boolean closeNow = false;
    // nobody can merge into or close the new window before it is in its DevAddr's sequence
    synchronized (fresh) {
      existing = windows.putIfAbsent(key, fresh);
      if (existing == null) {
        open.incrementAndGet();
        fresh.copies.add(copy);
        fresh.addReceptions(copy);
        closeNow = fresh.complete();
        if (closeNow) {
          fresh.closed = true;
        } else {
          try {
            fresh.timer = timer.schedule(() -> closeAtEnd(fresh), window.toNanos(),
                TimeUnit.NANOSECONDS);
          } catch (RejectedExecutionException e) {
            windows.remove(key, fresh);
            open.decrementAndGet();
            return Outcome.OVERLOADED;
          }
        }
        if (devAddr != null) {
          enqueue(fresh);
        }
      }
    }
    if (existing != null) {
      return merge(existing, copy);
    }
    if (closeNow) {
      closed(fresh, true);
    }
    return Outcome.OPENED;
  }

  private static MergedUplinks adapt(Consumer<UplinkMessage> onClose) {
    Objects.requireNonNull(onClose, "onClose");
    return (merged, onAddingThread) -> onClose.accept(merged);
  }

  /** Number of open or cooling-down windows. */
  public int size() {
    return windows.size();
  }

  private Outcome merge(Window w, UplinkMessage copy) {
    synchronized (w) {
      if (w.closed) {
        if (w.addReceptions(copy) && w.devAddr != null && expectedCopies != null) {
          expectedCopies.put(w.devAddr.value(), w.receptions.size());
        }
        return Outcome.LATE_DUPLICATE;
      }
      w.copies.add(copy);
      w.addReceptions(copy);
      if (!w.complete()) {
        return Outcome.MERGED;
      }
      w.closed = true;
    }
    w.timer.cancel(false);
    w.timer = null;
    closed(w, true);
    return Outcome.MERGED;
  }

  private void closeAtEnd(Window w) {
    synchronized (w) {
      if (w.closed) {
        return;
      }
      w.closed = true;
    }
    w.timer = null; // this task: done
    closed(w, false);
  }

  /**
   * After {@code w.closed} was set by this thread: no copy is added to it any more.
   *
   * @param early closed before the end of the window: the cooldown still lasts at least until
   *     it would have ended after a full window, so that late copies are absorbed as long as
   *     without the early close
   */
  private void closed(Window w, boolean early) {
    int receptions;
    synchronized (w) {
      receptions = w.receptions.size();
    }
    open.decrementAndGet();
    if (cooling.incrementAndGet() > maxCooling) {
      forget(w);
    } else {
      (early ? afterEarlyClose : afterWindow).add(w);
    }
    if (w.devAddr != null && expectedCopies != null) {
      expectedCopies.put(w.devAddr.value(), receptions);
    }
    UplinkMessage merged = merge(w.copies, maxRxMetadata);
    w.copies.clear(); // only the cooldown's reception count is needed from now on
    if (w.sequence == null) {
      onClose.accept(merged, early);
    } else {
      handOnInOrder(w, merged, early);
    }
  }

  /** Ends the cooldown of a closed window: its payload may open a new window. */
  private void forget(Window w) {
    windows.remove(w.key, w);
    cooling.decrementAndGet();
  }

  /**
   * The closed windows of one cooldown length ({@code keep}). Without batching each window has
   * its own timer; with batching, see the class description.
   */
  private final class Cooling {
    private final long keep;
    private final long batchPeriod;
    /** Windows closed since the open batch's first one; null when no batch is open. */
    private ArrayList<Window> open;

    Cooling(long keep, long batchPeriod) {
      this.keep = keep;
      this.batchPeriod = batchPeriod;
    }

    /** Starts the cooldown of {@code w}, which has just closed. */
    void add(Window w) {
      if (batchPeriod > 0) {
        ArrayList<Window> batch;
        synchronized (this) {
          if (open != null) {
            open.add(w);
            return;
          }
          batch = new ArrayList<>();
          open = batch;
        }
        // opened a batch: its first window keeps its exact timer
        try {
          timer.schedule(() -> seal(batch), batchPeriod, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          seal(batch);
        }
      }
      try {
        timer.schedule(() -> forget(w), keep, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        forget(w);
      }
    }

    /**
     * One batch period after its first window closed: later windows open a new batch; those in
     * this one closed at most a period ago, so their cooldowns have ended one cooldown from now.
     */
    private void seal(ArrayList<Window> batch) {
      synchronized (this) {
        if (open == batch) {
          open = null;
        }
      }
      // no window joins a batch once it is sealed: read without the lock from here on
      if (batch.isEmpty()) {
        return;
      }
      try {
        timer.schedule(() -> forgetAll(batch), keep, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        forgetAll(batch);
      }
    }

    private void forgetAll(ArrayList<Window> batch) {
      for (Window w : batch) {
        forget(w);
      }
    }
  }

  /** Puts {@code w} at the end of its DevAddr's sequence. Called holding {@code w}'s monitor. */
  private void enqueue(Window w) {
    while (true) {
      Sequence s = sequences.computeIfAbsent(w.devAddr, k -> new Sequence());
      synchronized (s) {
        if (!s.retired) {
          s.waiting.addLast(w);
          w.sequence = s;
          return;
        }
      }
    }
  }

  /**
   * Marks {@code w} ready and hands on the ready windows at the head of its sequence, unless
   * another thread is doing so (it will find {@code w}).
   */
  private void handOnInOrder(Window w, UplinkMessage merged, boolean onAddingThread) {
    Sequence s = w.sequence;
    synchronized (s) {
      w.merged = merged;
      if (s.handingOn) {
        return;
      }
      s.handingOn = true;
    }
    while (true) {
      UplinkMessage next;
      synchronized (s) {
        Window head = s.waiting.peekFirst();
        if (head == null || head.merged == null) {
          s.handingOn = false;
          if (head == null) {
            s.retired = true;
            sequences.remove(w.devAddr, s);
          }
          return;
        }
        s.waiting.pollFirst();
        next = head.merged;
        head.merged = null;
        head.sequence = null; // not read again: the cooling window keeps no retired sequence
      }
      try {
        onClose.accept(next, onAddingThread);
      } catch (RuntimeException e) {
        LOG.warn("handing on a deduplicated uplink failed", e);
      }
    }
  }

  /** The first copy with the rx_metadata of every copy and the union of correlation IDs. */
  static UplinkMessage merge(List<UplinkMessage> copies, int maxRxMetadata) {
    UplinkMessage first = copies.get(0);
    if (copies.size() == 1 && first.getRxMetadataCount() <= maxRxMetadata
        && sortedUnique(first.getCorrelationIdsList())) {
      return first; // what the merge below would build
    }
    UplinkMessage.Builder b = first.toBuilder().clearRxMetadata().clearCorrelationIds();
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

  private static boolean sortedUnique(List<String> l) {
    for (int i = 1; i < l.size(); i++) {
      if (l.get(i - 1).compareTo(l.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }
}
