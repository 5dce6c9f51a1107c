package dev.loralab.events;

import com.google.protobuf.Message;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The default {@link EventHistory}: bounded in memory, per entity ({@link EventsConfig#historyMaxEvents()}
 * events, {@link EventsConfig#historyMaxAge()}), across all entities ({@link EventsConfig#historyMaxTotal()}
 * entries, the oldest forgotten first, so memory does not grow with the number of entities) and per
 * correlation ID ({@link EventsConfig#correlationMaxEvents()} events, at most
 * {@link EventsConfig#correlationMaxIds()} IDs, oldest forgotten first).
 *
 * <p>Recording leaves no object per event or per correlation ID behind, so the history's live set
 * costs the garbage collector nothing per event: the events are kept in an {@link EventRing}
 * (encodings copied into large reused byte segments, times and unique IDs in primitive arrays, all
 * numbered by a sequence number), bounded by {@link EventsConfig#historyRingEvents()} events and
 * {@link EventsConfig#historyRingBytes()} bytes: when it is full the oldest events leave the
 * history too (the defaults are large enough that the other bounds decide). Each entity's log is a
 * small ring of sequence numbers, created once per entity and reused; the global order of entity
 * entries is a ring of (log, position) pairs; the correlation index is a {@link CorrelationIndex}
 * (hashes, numbers and links in primitive arrays). An index entry whose event left the ring is
 * skipped. One short lock guards everything (a record is an array copy, a few map lookups and ring
 * writes); queries filter, order and de-duplicate under it by the primitive metadata, copy out only
 * the encodings they return, and decode them after releasing it, as events equal to the published ones.
 */
public final class InMemoryEventHistory implements EventHistory {

  private static final Comparator<StoredEvent> ORDER = StoredEvent::compareUniqueId;
  /** Initial capacity of a log; logs grow by doubling up to their bound. */
  private static final int INITIAL_LOG_CAPACITY = 4;
  /** The global order is compacted when it holds more than twice this many or twice the live entries. */
  private static final int MIN_ORDER_COMPACTION = 1024;
  /** Links kept at most per event of the ring (correlation IDs per event, on average; rounded up to a power of two). */
  private static final int MAX_LINKS_PER_EVENT = 16;

  private final EventsConfig config;
  private final Clock clock;
  private final Object lock = new Object();
  // Everything below is guarded by lock.
  private final EventRing ring;
  /** Entity logs, kept when empty (reused) until there are more than {@link #entitySweep} of them. */
  private final HashMap<String, EntityLog> byEntity = new HashMap<>();
  private final int entitySweep;
  /** Every entity-log entry in insertion order, for the global bound; may hold removed entries. */
  private final EntryOrder entityOrder = new EntryOrder();
  /** Live entries in all entity logs. */
  private int entityTotal;
  private final CorrelationIndex byCorrelation;

  /**
   * @param config limits
   * @param clock  used for age-based expiry
   */
  public InMemoryEventHistory(EventsConfig config, Clock clock) {
    this(config, clock, CorrelationIndex::defaultHash);
  }

  /** With another hash of correlation IDs (tests force collisions with a weak one). */
  InMemoryEventHistory(EventsConfig config, Clock clock, ToLongFunction<String> correlationHash) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    int segmentSize = config.historySegmentBytes();
    this.ring = new EventRing(config.historyRingEvents(), segmentSize,
        (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1, config.historyRingBytes() / segmentSize)));
    this.byCorrelation = new CorrelationIndex(correlationHash, config.correlationMaxIds(),
        (int) Math.min(Integer.MAX_VALUE - 8, (long) config.historyRingEvents() * MAX_LINKS_PER_EVENT));
    this.entitySweep = (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_ORDER_COMPACTION, 2L * config.historyMaxTotal()));
  }

  /** Byte segments allocated so far (a test hook: constant once the ring has wrapped). */
  int segmentAllocations() {
    synchronized (lock) {
      return ring.segmentAllocations();
    }
  }

  /**
   * The sequence number of the oldest event still in the storage ring (a test hook: events are
   * numbered from 0 in recording order, so the events recorded before this one have left).
   */
  long oldestSequence() {
    synchronized (lock) {
      return ring.first();
    }
  }

  /** Entity logs allocated now, empty ones included (a test hook). */
  int entityLogs() {
    synchronized (lock) {
      return byEntity.size();
    }
  }

  @Override
  public void record(Event event) {
    // The age cutoff in primitive time: now minus the maximum age.
    Instant now = clock.instant();
    Duration maxAge = config.historyMaxAge();
    long cutSecond;
    int cutNano = now.getNano() - maxAge.getNano();
    try {
      cutSecond = Math.subtractExact(now.getEpochSecond(), maxAge.getSeconds());
      if (cutNano < 0) {
        cutNano += 1_000_000_000;
        cutSecond = Math.subtractExact(cutSecond, 1);
      }
    } catch (ArithmeticException e) {
      cutSecond = Long.MIN_VALUE; // nothing is that old
      cutNano = 0;
    }
    String[] keys = event.entityKeys();
    Event converted = null;
    byte[] encoding = null;
    int length = 0;
    Message prototype = null;
    if (event.convertedFromProto()) {
      converted = event.withoutRenderings();
    } else {
      // Encoded outside the lock into this thread's reused array (or the event's cached
      // encoding), then copied into the ring under it.
      Event.Scratch scratch = Event.encodeForCopy(event);
      encoding = scratch.bytes;
      length = scratch.length;
      prototype = StoredEvent.dataPrototype(event);
    }
    int maxEvents = config.historyMaxEvents();
    // Hashed outside the lock, once per correlation-ID set (the events of one call share theirs).
    long[] hashes = event.correlationIds().hashes(byCorrelation);
    int n = hashes.length;
    synchronized (lock) {
      long seq = ring.append(event, encoding, length, converted, prototype);
      for (String key : keys) {
        if (key != null) {
          appendToEntity(key, seq, maxEvents, cutSecond, cutNano);
        }
      }
      evictBeyondTotal();
      for (int i = 0; i < n; i++) {
        if (!repeated(hashes, i)) {
          byCorrelation.add(hashes[i], seq, ring);
        }
      }
    }
  }

  /** Whether {@code hashes[i]} is one of {@code hashes[0, i)} (two IDs of one event with the same hash: linked once). */
  private static boolean repeated(long[] hashes, int i) {
    for (int j = 0; j < i; j++) {
      if (hashes[j] == hashes[i]) {
        return true;
      }
    }
    return false;
  }

  private void appendToEntity(String key, long seq, int max, long cutSecond, int cutNano) {
    EntityLog log = byEntity.get(key);
    if (log == null) {
      if (byEntity.size() >= entitySweep) {
        byEntity.values().removeIf(l -> l.size() == 0);
      }
      log = new EntityLog(key);
      byEntity.put(key, log);
    }
    while (log.size() >= max) {
      removeHead(log);
    }
    entityOrder.add(log, log.append(seq, max));
    entityTotal++;
    while (log.size() > 0 && ring.isGoneOrBefore(log.first(), cutSecond, cutNano)) {
      removeHead(log);
    }
  }

  private void removeHead(EntityLog log) {
    log.removeFirst();
    entityTotal--;
  }

  /** Forgets the oldest entries beyond the global bound, and compacts entries already gone. */
  private void evictBeyondTotal() {
    int maxTotal = config.historyMaxTotal();
    while (entityTotal > maxTotal && entityOrder.size() > 0) {
      EntityLog log = entityOrder.firstLog();
      long position = entityOrder.firstPosition();
      entityOrder.removeFirst();
      if (log.isLive(position)) {
        assert log.removed == position : "a live entry at the head of the global order heads its log";
        // Entries leave a log oldest first and the global order is insertion order, so a live
        // entry at the head of the global order is also its log's head.
        removeHead(log);
      }
    }
    // Entries that left their log through the per-entity bound or age stay in the order until
    // they reach its head; drop them when they outnumber the live ones, so the order stays within
    // twice the bound.
    if (entityOrder.size() > 2 * Math.max(entityTotal, MIN_ORDER_COMPACTION)) {
      entityOrder.removeDead();
    }
  }

  private Instant cutoff() {
    return clock.instant().minus(config.historyMaxAge());
  }

  /**
   * The events of the entities, filtered, in order, de-duplicated, and of those the last
   * {@code limit}: read with their encodings (not decoded yet).
   */
  private List<StoredEvent> collect(Collection<EntityIdentifiers> identifiers, Predicate<StoredEvent> filter,
      int limit) {
    String[] keys = new String[identifiers.size()];
    int k = 0;
    for (EntityIdentifiers id : identifiers) {
      keys[k++] = EntityKeys.of(id);
    }
    Instant cutoff = cutoff();
    List<StoredEvent> list = new ArrayList<>();
    synchronized (lock) {
      for (String key : keys) {
        EntityLog log = byEntity.get(key);
        if (log != null) {
          log.copyTo(list, ring, cutoff);
        }
      }
      list.removeIf(filter.negate());
      List<StoredEvent> unique = sortedUnique(list);
      return read(unique, Math.max(0, unique.size() - limit), unique.size());
    }
  }

  /** Reads {@code headers[from, to)} with their encodings; under the lock. */
  private List<StoredEvent> read(List<StoredEvent> headers, int from, int to) {
    List<StoredEvent> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(ring.read(headers.get(i).sequence()));
    }
    return out;
  }

  /** Sorts by unique ID and keeps the first of equal IDs (the sort is stable). */
  private static List<StoredEvent> sortedUnique(List<StoredEvent> list) {
    list.sort(ORDER);
    int w = 0;
    for (int r = 0; r < list.size(); r++) {
      StoredEvent e = list.get(r);
      if (w == 0 || !list.get(w - 1).sameUniqueId(e)) {
        list.set(w++, e);
      }
    }
    return w == list.size() ? list : list.subList(0, w);
  }

  private static ArrayList<Event> decode(List<StoredEvent> stored) {
    ArrayList<Event> out = new ArrayList<>(stored.size());
    for (StoredEvent s : stored) {
      out.add(s.toEvent());
    }
    return out;
  }

  @Override
  public List<Event> tail(Collection<EntityIdentifiers> identifiers, int n) {
    if (n <= 0) {
      return List.of();
    }
    return decode(collect(identifiers, e -> true, n));
  }

  @Override
  public List<Event> after(Collection<EntityIdentifiers> identifiers, Instant time) {
    return decode(collect(identifiers, e -> e.isAfter(time), Integer.MAX_VALUE));
  }

  @Override
  public List<Event> afterEventId(Collection<EntityIdentifiers> identifiers, String uniqueId) {
    StoredEvent last = StoredEvent.idOnly(uniqueId);
    return decode(collect(identifiers, e -> e.compareUniqueId(last) > 0, Integer.MAX_VALUE));
  }

  @Override
  public List<Event> related(String correlationId) {
    long h = byCorrelation.hashOf(correlationId);
    Instant cutoff = cutoff();
    int max = config.correlationMaxEvents();
    long[] seqs = new long[Math.min(max, 1024)];
    List<StoredEvent> out = new ArrayList<>();
    synchronized (lock) {
      if (max > seqs.length) {
        seqs = new long[max];
      }
      int n = byCorrelation.newestEvents(h, max, seqs);
      for (int i = n - 1; i >= 0; i--) {
        if (!ring.isGoneOrBefore(seqs[i], cutoff)) {
          out.add(ring.header(seqs[i]));
        }
      }
      out.sort(ORDER);
      out = read(out, 0, out.size());
    }
    ArrayList<Event> events = decode(out);
    // IDs are indexed by hash: drop the events of another ID with the same hash.
    events.removeIf(e -> !e.correlationIds().asList().contains(correlationId));
    return events;
  }

  /**
   * One entity's log: a FIFO of event sequence numbers in a circular array grown by doubling up to
   * the log's bound, oldest first; entries are numbered by append order, so the global order can
   * refer to them. Guarded by the history's lock.
   */
  private static final class EntityLog {
    final String key;
    private long[] seqs = new long[INITIAL_LOG_CAPACITY];
    private int head;
    private int size;
    /** Entries ever appended; the next entry's position. */
    private long appended;
    /** Entries ever removed (always from the head): positions below this are gone. */
    private long removed;

    EntityLog(String key) {
      this.key = key;
    }

    int size() {
      return size;
    }

    /** The oldest entry's event (the log is not empty). */
    long first() {
      return seqs[head];
    }

    /** Appends (the caller has made room: size &lt; max) and returns the entry's position. */
    long append(long seq, int max) {
      if (size == seqs.length) {
        long[] grown = new long[(int) Math.min((long) seqs.length * 2, Math.max(max, seqs.length + 1))];
        for (int i = 0; i < size; i++) {
          grown[i] = seqs[(head + i) % seqs.length];
        }
        seqs = grown;
        head = 0;
      }
      seqs[(head + size) % seqs.length] = seq;
      size++;
      return appended++;
    }

    void removeFirst() {
      head = (head + 1) % seqs.length;
      size--;
      removed++;
    }

    /** Whether the entry at {@code position} is still in this log. */
    boolean isLive(long position) {
      return position >= removed;
    }

    /** Adds the headers of the events still in the ring and not older than {@code cutoff} to {@code out}, oldest first. */
    void copyTo(List<StoredEvent> out, EventRing ring, Instant cutoff) {
      for (int i = 0; i < size; i++) {
        long seq = seqs[(head + i) % seqs.length];
        if (!ring.isGoneOrBefore(seq, cutoff)) {
          out.add(ring.header(seq));
        }
      }
    }
  }

  /**
   * The global insertion order of entity entries as (log, position) pairs in two parallel circular
   * arrays, grown by doubling. Guarded by the history's lock.
   */
  private static final class EntryOrder {
    private EntityLog[] logs = new EntityLog[64];
    private long[] positions = new long[64];
    private int head;
    private int size;

    int size() {
      return size;
    }

    void add(EntityLog log, long position) {
      if (size == logs.length) {
        resize(logs.length * 2);
      }
      int i = (head + size) % logs.length;
      logs[i] = log;
      positions[i] = position;
      size++;
    }

    EntityLog firstLog() {
      return logs[head];
    }

    long firstPosition() {
      return positions[head];
    }

    void removeFirst() {
      logs[head] = null;
      head = (head + 1) % logs.length;
      size--;
    }

    /** Drops the entries no longer in their logs, keeping the order of the others. */
    void removeDead() {
      int cap = logs.length;
      int w = 0;
      for (int r = 0; r < size; r++) {
        int i = (head + r) % cap;
        EntityLog log = logs[i];
        long position = positions[i];
        logs[i] = null;
        if (log.isLive(position)) {
          int j = (head + w) % cap;
          logs[j] = log;
          positions[j] = position;
          w++;
        }
      }
      size = w;
    }

    private void resize(int capacity) {
      EntityLog[] l = new EntityLog[capacity];
      long[] p = new long[capacity];
      for (int r = 0; r < size; r++) {
        int i = (head + r) % logs.length;
        l[r] = logs[i];
        p[r] = positions[i];
      }
      logs = l;
      positions = p;
      head = 0;
    }
  }
}
