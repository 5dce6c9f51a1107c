package dev.loralab.events;

import com.google.protobuf.Message;
import java.time.Instant;
import java.util.Arrays;

/**
 * The recorded events of an {@link InMemoryEventHistory}, numbered by a monotonically increasing
 * sequence number and kept in a few long-lived structures that recording reuses instead of
 * allocating per event: each event's binary encoding is copied into large {@code byte[]} segments
 * used as a ring (a segment is reused once its events have left), and its time, unique ID and
 * place in the segments are kept in primitive arrays used as a ring indexed by the sequence
 * number. The history's indexes refer to events by sequence number; a sequence number below
 * {@link #first()} has left the ring (its slots were reused) and is stale.
 *
 * <p>The ring holds at most {@code maxEvents} events and {@code segmentCount} segments of
 * {@code segmentSize} bytes; when either is full the oldest events leave. The metadata arrays grow
 * by doubling up to {@code maxEvents} rounded up to a power of two and segments are allocated when first needed, so a small
 * history stays small; in steady state recording allocates nothing here. An encoding larger than a
 * segment, and an event converted from protobuf ({@link Event#convertedFromProto()}), are kept as
 * their own objects in a reference slot (not expected from the stack's own components).
 *
 * <p>Not thread-safe: guarded by the history's lock.
 */
final class EventRing {

  private static final int INITIAL_CAPACITY = 1024;
  private static final int STRIDE = 5;
  private static final long PROPAGATE = 1L << 31;
  private static final int NANO_MASK = (1 << 30) - 1;
  /** The most events a ring can index (its metadata is one array). */
  static final int MAX_EVENTS = (1 << 30) / STRIDE;

  private final int maxEvents;
  private final int segmentSize;
  private final byte[][] segments;
  /** The last sequence number written into each segment, or -1. */
  private final long[] segmentLast;
  /** The segment being written, or -1 before the first. */
  private int segment = -1;
  private int position;
  private int segmentAllocations;

  /** A power of two, at least {@code maxEvents} once grown (slots are sequence numbers masked). */
  private int capacity;
  private int mask;
  /**
   * {@link #STRIDE} longs per event, so that an event's metadata shares a cache line or two: epoch
   * second; encoding length (high 32 bits), propagate-to-parent (bit 31) and nano of second (low 30
   * bits); the unique ID's high and low 64 bits (a valid ULID); segment (high 32 bits, -1 for an
   * event kept in {@link #extras}) and offset in it (low 32 bits).
   */
  private long[] meta;
  /** An {@link Extra} for an event that needs objects of its own (rare), else null. */
  private Extra[] extras;
  /** The default instance of the data's class if it was not an {@code Any}, else null (shared instances). */
  private Message[] prototypes;

  /**
   * What an unusual event keeps as objects: an encoding larger than a segment, or an event kept
   * as converted from protobuf ({@code form}); a unique ID that is not a valid ULID ({@code idText}).
   */
  private record Extra(Object form, String idText) {
  }

  private long first;
  private long next;

  /**
   * @param maxEvents    events kept at most
   * @param segmentSize  bytes per segment
   * @param segmentCount segments at most
   */
  EventRing(int maxEvents, int segmentSize, int segmentCount) {
    if (maxEvents < 1 || segmentSize < 1 || segmentCount < 1) {
      throw new IllegalArgumentException("event ring: expected positive sizes, found " + maxEvents + " events, "
          + segmentCount + " segments of " + segmentSize + " bytes");
    }
    if (maxEvents > MAX_EVENTS) {
      throw new IllegalArgumentException("event ring: expected at most " + MAX_EVENTS + " events, found " + maxEvents);
    }
    this.maxEvents = maxEvents;
    this.segmentSize = segmentSize;
    this.segments = new byte[segmentCount][];
    this.segmentLast = new long[segmentCount];
    Arrays.fill(segmentLast, -1);
    allocate(Math.min(roundUp(maxEvents), INITIAL_CAPACITY));
  }

  /** The smallest power of two at least {@code n}. */
  static int roundUp(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  private void allocate(int n) {
    capacity = n;
    mask = n - 1;
    meta = new long[n * STRIDE];
    extras = new Extra[n];
    prototypes = new Message[n];
  }

  /** The oldest sequence number still in the ring. */
  long first() {
    return first;
  }

  /** The sequence number the next event gets. */
  long next() {
    return next;
  }

  /** Whether the event with this sequence number is still in the ring. */
  boolean isLive(long seq) {
    return seq >= first && seq < next;
  }

  /** Segments allocated so far (a test hook: constant in steady state). */
  int segmentAllocations() {
    return segmentAllocations;
  }

  private int slot(long seq) {
    return (int) seq & mask;
  }

  /**
   * Appends an event, making room first, and returns its sequence number.
   *
   * @param event     the event (its time, unique ID and propagation are kept)
   * @param encoding  holds the event's encoding in {@code [0, length)}, copied into the segments
   *                  (the array may be reused afterwards); null if {@code converted} is given
   * @param converted an event converted from protobuf, kept as it is; or null
   */
  long append(Event event, byte[] encoding, int length, Event converted, Message dataPrototype) {
    if (next - first == maxEvents) {
      evictOldest();
    } else if (next - first == capacity) {
      grow();
    }
    int seg = -1;
    int offset = 0;
    Object form = converted;
    if (converted != null) {
      length = 0;
    } else {
      if (length > segmentSize) {
        form = Arrays.copyOf(encoding, length);
      } else {
        if (segment < 0 || position + length > segmentSize) {
          nextSegment();
        }
        System.arraycopy(encoding, 0, segments[segment], position, length);
        seg = segment;
        offset = position;
        position += length;
        segmentLast[segment] = next;
      }
    }
    int i = slot(next);
    int m = i * STRIDE;
    String idText = null;
    if (event.hasUniqueIdBits()) {
      meta[m + 2] = event.uniqueIdHigh();
      meta[m + 3] = event.uniqueIdLow();
    } else {
      String uniqueId = event.uniqueId();
      if (Ulid.isValid(uniqueId)) {
        Ulid.toBits(uniqueId, meta, m + 2);
      } else {
        meta[m + 2] = 0;
        meta[m + 3] = 0;
        idText = uniqueId;
      }
    }
    Instant time = event.time();
    meta[m] = time.getEpochSecond();
    meta[m + 1] = ((long) length << 32) | (event.propagateToParent() ? PROPAGATE : 0) | time.getNano();
    meta[m + 4] = ((long) seg << 32) | offset;
    extras[i] = form == null && idText == null ? null : new Extra(form, idText);
    prototypes[i] = dataPrototype;
    return next++;
  }

  /** Moves to the next segment, allocating it the first time, else making its events leave first. */
  private void nextSegment() {
    int s = (segment + 1) % segments.length;
    if (segments[s] == null) {
      segments[s] = new byte[segmentSize];
      segmentAllocations++;
    } else {
      long last = segmentLast[s];
      while (first <= last && first < next) {
        evictOldest();
      }
    }
    segmentLast[s] = -1;
    segment = s;
    position = 0;
  }

  private void evictOldest() {
    int i = slot(first);
    extras[i] = null;
    prototypes[i] = null;
    first++;
  }

  private void grow() {
    long[] oldMeta = meta;
    Extra[] oldExtras = extras;
    Message[] oldPrototypes = prototypes;
    int old = capacity;
    allocate(2 * old);
    for (long seq = first; seq < next; seq++) {
      int from = (int) seq & (old - 1);
      int to = slot(seq);
      System.arraycopy(oldMeta, from * STRIDE, meta, to * STRIDE, STRIDE);
      extras[to] = oldExtras[from];
      prototypes[to] = oldPrototypes[from];
    }
  }

  /** Whether the live event {@code seq} is before {@code (epochSecond, nano)}. */
  boolean isBefore(long seq, long epochSecond, int nano) {
    int m = slot(seq) * STRIDE;
    long s = meta[m];
    return s < epochSecond || (s == epochSecond && (int) (meta[m + 1] & NANO_MASK) < nano);
  }

  /** Whether {@code seq} has left the ring or is before {@code cutoff}. */
  boolean isGoneOrBefore(long seq, Instant cutoff) {
    return !isLive(seq) || isBefore(seq, cutoff.getEpochSecond(), cutoff.getNano());
  }

  /** Whether {@code seq} has left the ring or is before {@code (epochSecond, nano)}. */
  boolean isGoneOrBefore(long seq, long epochSecond, int nano) {
    return !isLive(seq) || isBefore(seq, epochSecond, nano);
  }

  /** The time and unique ID of the live event {@code seq}, without its encoding (for filtering and ordering). */
  StoredEvent header(long seq) {
    int i = slot(seq);
    int m = i * STRIDE;
    Extra x = extras[i];
    return new StoredEvent(seq, meta[m], (int) (meta[m + 1] & NANO_MASK), meta[m + 2], meta[m + 3],
        x == null ? null : x.idText(), null, null, false);
  }

  /** The live event {@code seq} with a copy of its encoding, to decode after releasing the lock. */
  StoredEvent read(long seq) {
    int i = slot(seq);
    int m = i * STRIDE;
    Extra x = extras[i];
    Object form = x == null ? null : x.form();
    long m1 = meta[m + 1];
    if (form == null) {
      long m4 = meta[m + 4];
      int off = (int) m4;
      form = Arrays.copyOfRange(segments[(int) (m4 >> 32)], off, off + (int) (m1 >>> 32));
    }
    return new StoredEvent(seq, meta[m], (int) (m1 & NANO_MASK), meta[m + 2], meta[m + 3],
        x == null ? null : x.idText(), form, prototypes[i], (m1 & PROPAGATE) != 0);
  }
}
