package dev.loralab.events;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The default {@link EventHistory}: bounded in memory, per entity ({@link EventsConfig#historyMaxEvents()}
 * events, {@link EventsConfig#historyMaxAge()}), across all entities ({@link EventsConfig#historyMaxTotal()}
 * entries, the oldest forgotten first, so memory does not grow with the number of entities) and per
 * correlation ID ({@link EventsConfig#correlationMaxEvents()} events, at most
 * {@link EventsConfig#correlationMaxIds()} IDs, oldest forgotten first).
 *
 * <p>Each recorded event is stored once, compactly: a {@code StoredEvent} holding its time, unique
 * ID and binary protobuf encoding (the encoding the published event caches for its stream frames
 * too), referenced from its entities' logs and its correlation IDs' logs. Queries filter, sort and
 * de-duplicate the stored events and decode only the ones they return, as events equal to the
 * published ones. The logs are rings of references, and the global order of entity entries is one
 * ring of (log, position) pairs: an entry costs a slot in two rings, no node of its own; only a new
 * entity or correlation ID allocates (its log and map entry). One short lock guards the indexes (a
 * record is a few map lookups and ring writes): entity keys (shared by an entity's events, hashed
 * once), the hashes of the correlation IDs, the age cutoff and the stored form are computed before
 * taking it, sorting, de-duplicating and decoding query results after releasing it.
 */
public final class InMemoryEventHistory implements EventHistory {

  private static final Comparator<StoredEvent> ORDER = StoredEvent::compareUniqueId;
  /** Initial capacity of a log; logs grow by doubling up to their bound. */
  private static final int INITIAL_LOG_CAPACITY = 4;
  /** The global order is compacted when it holds more than twice this many or twice the live entries. */
  private static final int MIN_ORDER_COMPACTION = 1024;

  private final EventsConfig config;
  private final Clock clock;
  private final Object lock = new Object();
  // Everything below is guarded by lock.
  private final HashMap<String, EntityLog> byEntity = new HashMap<>();
  /** Every entity-log entry in insertion order, for the global bound; may hold removed entries. */
  private final EntryOrder entityOrder = new EntryOrder();
  /** Live entries in all entity logs. */
  private int entityTotal;
  private final CorrelationTable byCorrelation = new CorrelationTable();
  /** Indexed correlation IDs, oldest first. */
  private CorrelationLog[] correlationOrder = new CorrelationLog[16];
  private int correlationHead;
  private int correlationCount;

  /**
   * @param config limits
   * @param clock  used for age-based expiry
   */
  public InMemoryEventHistory(EventsConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void record(Event event) {
    Instant cutoff = cutoff();
    String[] keys = event.entityKeys();
    List<String> correlationIds = event.correlationIds().asList();
    StoredEvent stored = StoredEvent.of(event);
    int maxEvents = config.historyMaxEvents();
    int maxCorrelationEvents = config.correlationMaxEvents();
    for (int i = 0, n = correlationIds.size(); i < n; i++) {
      correlationIds.get(i).hashCode(); // cached by the string: hashed outside the lock, not in the index lookup
    }
    synchronized (lock) {
      for (String key : keys) {
        if (key != null) {
          appendToEntity(key, stored, maxEvents, cutoff);
        }
      }
      evictBeyondTotal();
      for (int i = 0, n = correlationIds.size(); i < n; i++) {
        appendToCorrelation(correlationIds.get(i), stored, maxCorrelationEvents, cutoff);
      }
    }
  }

  private void appendToEntity(String key, StoredEvent e, int max, Instant cutoff) {
    EntityLog log = byEntity.get(key);
    if (log == null) {
      log = new EntityLog(key);
      byEntity.put(key, log);
    }
    while (log.size() >= max) {
      removeHead(log);
    }
    entityOrder.add(log, log.append(e, max));
    entityTotal++;
    while (log.firstIsBefore(cutoff)) {
      removeHead(log);
    }
    if (log.size() == 0) {
      byEntity.remove(key);
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
        if (log.size() == 0) {
          byEntity.remove(log.key);
        }
      }
    }
    // Entries that left their log through the per-entity bound or age stay in the order until
    // they reach its head; drop them when they outnumber the live ones, so the order stays within
    // twice the bound.
    if (entityOrder.size() > 2 * Math.max(entityTotal, MIN_ORDER_COMPACTION)) {
      entityOrder.removeDead();
    }
  }

  private void appendToCorrelation(String id, StoredEvent e, int max, Instant cutoff) {
    CorrelationLog log = byCorrelation.get(id);
    if (log == null) {
      log = byCorrelation.put(id);
      indexCorrelation(log);
    }
    while (log.size() >= max) {
      log.removeFirst();
    }
    log.add(e, max);
    while (log.firstIsBefore(cutoff)) {
      log.removeFirst();
    }
  }

  /** Adds a new ID to the order of IDs, forgetting the oldest beyond the bound. */
  private void indexCorrelation(CorrelationLog log) {
    if (correlationCount >= config.correlationMaxIds()) {
      // The new ID is never the oldest, so forgetting the oldest first is the same as after adding.
      CorrelationLog oldest = correlationOrder[correlationHead];
      correlationOrder[correlationHead] = null;
      correlationHead = (correlationHead + 1) % correlationOrder.length;
      correlationCount--;
      byCorrelation.remove(oldest);
    }
    int cap = correlationOrder.length;
    if (correlationCount == cap) {
      CorrelationLog[] grown = new CorrelationLog[cap * 2];
      for (int i = 0; i < correlationCount; i++) {
        grown[i] = correlationOrder[(correlationHead + i) % cap];
      }
      correlationOrder = grown;
      correlationHead = 0;
      cap = grown.length;
    }
    correlationOrder[(correlationHead + correlationCount) % cap] = log;
    correlationCount++;
  }

  private Instant cutoff() {
    return clock.instant().minus(config.historyMaxAge());
  }

  /** The stored events of the entities, filtered, in order and de-duplicated (not decoded yet). */
  private List<StoredEvent> collect(Collection<EntityIdentifiers> identifiers, Predicate<StoredEvent> filter) {
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
          log.copyTo(list, cutoff);
        }
      }
    }
    list.removeIf(filter.negate());
    return sortedUnique(list);
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

  /** Decodes {@code stored[from, to)}. */
  private static ArrayList<Event> decode(List<StoredEvent> stored, int from, int to) {
    ArrayList<Event> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(stored.get(i).toEvent());
    }
    return out;
  }

  private static ArrayList<Event> decode(List<StoredEvent> stored) {
    return decode(stored, 0, stored.size());
  }

  @Override
  public List<Event> tail(Collection<EntityIdentifiers> identifiers, int n) {
    if (n <= 0) {
      return List.of();
    }
    List<StoredEvent> all = collect(identifiers, e -> true);
    return decode(all, Math.max(0, all.size() - n), all.size());
  }

  @Override
  public List<Event> after(Collection<EntityIdentifiers> identifiers, Instant time) {
    return decode(collect(identifiers, e -> e.isAfter(time)));
  }

  @Override
  public List<Event> afterEventId(Collection<EntityIdentifiers> identifiers, String uniqueId) {
    StoredEvent last = StoredEvent.idOnly(uniqueId);
    return decode(collect(identifiers, e -> e.compareUniqueId(last) > 0));
  }

  @Override
  public List<Event> related(String correlationId) {
    Instant cutoff = cutoff();
    List<StoredEvent> out = new ArrayList<>();
    synchronized (lock) {
      CorrelationLog log = byCorrelation.get(correlationId);
      if (log == null) {
        return List.of();
      }
      log.copyTo(out, cutoff);
    }
    out.sort(ORDER);
    return decode(out);
  }

  /**
   * A FIFO of stored-event references: a circular array grown by doubling up to the log's bound, oldest
   * first. Guarded by the history's lock.
   */
  private static class EventLog {
    private StoredEvent[] events = new StoredEvent[INITIAL_LOG_CAPACITY];
    private int head;
    private int size;
    /**
     * The earliest epoch second of the events ever added: at most the first event's, so while the
     * age cutoff is in an earlier second the first event is not loaded to compare its time (it is
     * usually the log's oldest, least recently touched object).
     */
    private long minEpochSecond = Long.MAX_VALUE;

    final int size() {
      return size;
    }

    /** Whether the log is not empty and its first event is before {@code cutoff}. */
    final boolean firstIsBefore(Instant cutoff) {
      return size > 0 && minEpochSecond <= cutoff.getEpochSecond() && events[head].isBefore(cutoff);
    }

    /** Appends (the caller has made room: size &lt; max). */
    final void add(StoredEvent e, int max) {
      if (size == events.length) {
        StoredEvent[] grown = new StoredEvent[(int) Math.min((long) events.length * 2, Math.max(max, events.length + 1))];
        for (int i = 0; i < size; i++) {
          grown[i] = events[(head + i) % events.length];
        }
        events = grown;
        head = 0;
      }
      events[(head + size) % events.length] = e;
      minEpochSecond = Math.min(minEpochSecond, e.epochSecond());
      size++;
    }

    void removeFirst() {
      events[head] = null;
      head = (head + 1) % events.length;
      size--;
    }

    /** Adds the events not older than {@code cutoff} to {@code out}, oldest first. */
    final void copyTo(List<StoredEvent> out, Instant cutoff) {
      for (int i = 0; i < size; i++) {
        StoredEvent e = events[(head + i) % events.length];
        if (!e.isBefore(cutoff)) {
          out.add(e);
        }
      }
    }
  }

  /** One entity's log; entries are numbered by append order, so the global order can refer to them. */
  private static final class EntityLog extends EventLog {
    final String key;
    /** Entries ever appended; the next entry's position. */
    private long appended;
    /** Entries ever removed (always from the head): positions below this are gone. */
    private long removed;

    EntityLog(String key) {
      this.key = key;
    }

    /** Appends and returns the entry's position. */
    long append(StoredEvent e, int max) {
      add(e, max);
      return appended++;
    }

    @Override
    void removeFirst() {
      super.removeFirst();
      removed++;
    }

    /** Whether the entry at {@code position} is still in this log. */
    boolean isLive(long position) {
      return position >= removed;
    }
  }

  /** One correlation ID's log, and its entry in the {@link CorrelationTable}. */
  private static final class CorrelationLog extends EventLog {
    final String id;
    final int hash;
    /** The next log in the same bucket. */
    CorrelationLog next;

    CorrelationLog(String id, int hash) {
      this.id = id;
      this.hash = hash;
    }
  }

  /**
   * The correlation logs by ID: a chained hash table whose entries are the logs themselves (no node
   * per ID, and the hash is kept in the log, so forgetting the oldest ID touches neither its string
   * nor a node). Guarded by the history's lock.
   */
  private static final class CorrelationTable {
    private CorrelationLog[] buckets = new CorrelationLog[256];
    private int size;

    private static int hash(String id) {
      int h = id.hashCode();
      return h ^ (h >>> 16);
    }

    CorrelationLog get(String id) {
      int h = hash(id);
      for (CorrelationLog log = buckets[h & (buckets.length - 1)]; log != null; log = log.next) {
        if (log.hash == h && (log.id == id || log.id.equals(id))) {
          return log;
        }
      }
      return null;
    }

    /** Adds a new, empty log for {@code id} (the caller checked there is none). */
    CorrelationLog put(String id) {
      if (size >= buckets.length - (buckets.length >>> 2)) {
        resize();
      }
      CorrelationLog log = new CorrelationLog(id, hash(id));
      int i = log.hash & (buckets.length - 1);
      log.next = buckets[i];
      buckets[i] = log;
      size++;
      return log;
    }

    void remove(CorrelationLog log) {
      int i = log.hash & (buckets.length - 1);
      CorrelationLog prev = null;
      for (CorrelationLog x = buckets[i]; x != null; prev = x, x = x.next) {
        if (x == log) {
          if (prev == null) {
            buckets[i] = x.next;
          } else {
            prev.next = x.next;
          }
          x.next = null;
          size--;
          return;
        }
      }
    }

    private void resize() {
      CorrelationLog[] grown = new CorrelationLog[buckets.length * 2];
      for (CorrelationLog head : buckets) {
        CorrelationLog x = head;
        while (x != null) {
          CorrelationLog next = x.next;
          int i = x.hash & (grown.length - 1);
          x.next = grown[i];
          grown[i] = x;
          x = next;
        }
      }
      buckets = grown;
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
      if (cap > 64 && size < cap / 4) {
        resize(Math.max(64, Integer.highestOneBit(Math.max(size, 1)) * 2));
      }
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
