package dev.loralab.events;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The {@link InMemoryEventHistory} as it was before it became one ring and two plain indexes
 * under one lock (per-entry queue nodes, a deque per correlation ID): kept as the executable
 * specification that {@code InMemoryEventHistoryEquivalenceTest} compares the new one against.
 */
final class ReferenceEventHistory implements EventHistory {

  private static final Comparator<Event> ORDER = Comparator.comparing(Event::uniqueId);

  private final EventsConfig config;
  private final Clock clock;
  private final ConcurrentHashMap<String, ArrayDeque<Entry>> byEntity = new ConcurrentHashMap<>();
  /** Every entity-log entry in insertion order, for the global bound; may hold removed entries. */
  private final ConcurrentLinkedQueue<Entry> entityOrder = new ConcurrentLinkedQueue<>();
  private final AtomicInteger entityOrderSize = new AtomicInteger();
  /** Live entries in all entity logs. */
  private final AtomicInteger entityTotal = new AtomicInteger();
  private final ConcurrentHashMap<String, ArrayDeque<Event>> byCorrelation = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> correlationOrder = new ConcurrentLinkedQueue<>();
  private final AtomicInteger correlationCount = new AtomicInteger();

  /**
   * @param config limits
   * @param clock  used for age-based expiry
   */
  ReferenceEventHistory(EventsConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Events the history under test no longer holds (left its storage ring); none by default. */
  private java.util.function.Predicate<Event> gone = e -> false;

  /**
   * Treats the events {@code gone} accepts as the history under test does the events that left its
   * {@link EventRing}: like expired ones, they leave an entity log when they reach its head as the
   * log is appended to, and stop counting against the bounds then.
   */
  ReferenceEventHistory forgetting(java.util.function.Predicate<Event> gone) {
    this.gone = Objects.requireNonNull(gone, "gone");
    return this;
  }

  @Override
  public void record(Event event) {
    Instant cutoff = cutoff();
    for (EntityIdentifiers id : event.identifiers()) {
      appendToEntity(EntityKeys.of(id), event, cutoff);
      if (event.propagateToParent() && id.getIdsCase() == EntityIdentifiers.IdsCase.DEVICE_IDS) {
        appendToEntity(EntityKeys.of(id.getDeviceIds().getApplicationIds()), event, cutoff);
      }
    }
    evictBeyondTotal();
    for (String cid : event.correlationIds().asList()) {
      boolean created = append(byCorrelation, cid, event, config.correlationMaxEvents(), cutoff);
      if (created) {
        correlationOrder.add(cid);
        if (correlationCount.incrementAndGet() > config.correlationMaxIds()) {
          String oldest = correlationOrder.poll();
          if (oldest != null) {
            byCorrelation.remove(oldest);
            correlationCount.decrementAndGet();
          }
        }
      }
    }
  }

  /** One event in one entity's log. */
  private static final class Entry {
    final String key;
    final Event event;
    /** Set (under the log's lock) when the entry left its log. */
    boolean removed;

    Entry(String key, Event event) {
      this.key = key;
      this.event = event;
    }
  }

  private void appendToEntity(String key, Event e, Instant cutoff) {
    Entry entry = new Entry(key, e);
    int max = config.historyMaxEvents();
    while (true) {
      ArrayDeque<Entry> log = byEntity.computeIfAbsent(key, k -> new ArrayDeque<>());
      int removed = 0;
      synchronized (log) {
        if (byEntity.get(key) != log) {
          continue; // emptied and retired by the global bound meanwhile
        }
        log.addLast(entry);
        while (log.size() > max || (!log.isEmpty() && (log.peekFirst().event.time().isBefore(cutoff)
            || gone.test(log.peekFirst().event)))) {
          log.pollFirst().removed = true;
          removed++;
        }
      }
      entityOrder.add(entry);
      entityOrderSize.incrementAndGet();
      entityTotal.addAndGet(1 - removed);
      return;
    }
  }

  /** Forgets the oldest entries beyond the global bound, and compacts entries already gone. */
  private void evictBeyondTotal() {
    int maxTotal = config.historyMaxTotal();
    while (entityTotal.get() > maxTotal) {
      Entry oldest = entityOrder.poll();
      if (oldest == null) {
        return;
      }
      entityOrderSize.decrementAndGet();
      ArrayDeque<Entry> log = byEntity.get(oldest.key);
      if (log == null) {
        continue;
      }
      synchronized (log) {
        if (oldest.removed) {
          continue;
        }
        // Entries leave a log oldest first, so a live entry polled here is its log's head.
        if (log.peekFirst() == oldest) {
          log.pollFirst();
        } else {
          log.remove(oldest);
        }
        oldest.removed = true;
        entityTotal.decrementAndGet();
        if (log.isEmpty()) {
          byEntity.remove(oldest.key, log);
        }
      }
    }
    // Entries that left their log through the per-entity bound stay queued until polled; drop
    // them when they outnumber the live ones, so the queue stays within twice the bound.
    if (entityOrderSize.get() > 2 * Math.max(entityTotal.get(), 1024)) {
      synchronized (entityOrder) {
        if (entityOrderSize.get() > 2 * Math.max(entityTotal.get(), 1024)) {
          int[] n = {0};
          entityOrder.removeIf(x -> {
            boolean gone;
            ArrayDeque<Entry> log = byEntity.get(x.key);
            if (log == null) {
              gone = true;
            } else {
              synchronized (log) {
                gone = x.removed;
              }
            }
            if (gone) {
              n[0]++;
            }
            return gone;
          });
          entityOrderSize.addAndGet(-n[0]);
        }
      }
    }
  }

  /** Appends; returns true when the log was created. */
  private static boolean append(ConcurrentHashMap<String, ArrayDeque<Event>> map, String key, Event e, int max,
      Instant cutoff) {
    boolean[] created = {false};
    ArrayDeque<Event> log = map.computeIfAbsent(key, k -> {
      created[0] = true;
      return new ArrayDeque<>();
    });
    synchronized (log) {
      log.addLast(e);
      while (log.size() > max) {
        log.pollFirst();
      }
      while (!log.isEmpty() && log.peekFirst().time().isBefore(cutoff)) {
        log.pollFirst();
      }
    }
    return created[0];
  }

  private Instant cutoff() {
    return clock.instant().minus(config.historyMaxAge());
  }

  private List<Event> collect(Collection<EntityIdentifiers> identifiers, Predicate<Event> filter) {
    Instant cutoff = cutoff();
    Map<String, Event> out = new LinkedHashMap<>();
    for (EntityIdentifiers id : identifiers) {
      ArrayDeque<Entry> log = byEntity.get(EntityKeys.of(id));
      if (log == null) {
        continue;
      }
      synchronized (log) {
        for (Entry x : log) {
          Event e = x.event;
          if (!e.time().isBefore(cutoff) && filter.test(e)) {
            out.putIfAbsent(e.uniqueId(), e);
          }
        }
      }
    }
    List<Event> list = new ArrayList<>(out.values());
    list.sort(ORDER);
    return list;
  }

  @Override
  public List<Event> tail(Collection<EntityIdentifiers> identifiers, int n) {
    if (n <= 0) {
      return List.of();
    }
    List<Event> all = collect(identifiers, e -> true);
    return all.size() <= n ? all : List.copyOf(all.subList(all.size() - n, all.size()));
  }

  @Override
  public List<Event> after(Collection<EntityIdentifiers> identifiers, Instant time) {
    return collect(identifiers, e -> e.time().isAfter(time));
  }

  @Override
  public List<Event> afterEventId(Collection<EntityIdentifiers> identifiers, String uniqueId) {
    return collect(identifiers, e -> e.uniqueId().compareTo(uniqueId) > 0);
  }

  @Override
  public List<Event> related(String correlationId) {
    ArrayDeque<Event> log = byCorrelation.get(correlationId);
    if (log == null) {
      return List.of();
    }
    Instant cutoff = cutoff();
    List<Event> out = new ArrayList<>();
    synchronized (log) {
      for (Event e : log) {
        if (!e.time().isBefore(cutoff)) {
          out.add(e);
        }
      }
    }
    out.sort(ORDER);
    return out;
  }
}
