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
 * The default {@link EventHistory}: bounded in memory, per entity ({@link EventsConfig#historyMaxEvents()}
 * events, {@link EventsConfig#historyMaxAge()}) and per correlation ID
 * ({@link EventsConfig#correlationMaxEvents()} events, at most {@link EventsConfig#correlationMaxIds()} IDs,
 * oldest forgotten first). Each log is locked on its own; there is no global lock.
 */
public final class InMemoryEventHistory implements EventHistory {

  private static final Comparator<Event> ORDER = Comparator.comparing(Event::uniqueId);

  private final EventsConfig config;
  private final Clock clock;
  private final ConcurrentHashMap<String, ArrayDeque<Event>> byEntity = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ArrayDeque<Event>> byCorrelation = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> correlationOrder = new ConcurrentLinkedQueue<>();
  private final AtomicInteger correlationCount = new AtomicInteger();

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
    for (EntityIdentifiers id : event.identifiers()) {
      append(byEntity, EntityKeys.of(id), event, config.historyMaxEvents(), cutoff);
      if (event.propagateToParent() && id.getIdsCase() == EntityIdentifiers.IdsCase.DEVICE_IDS) {
        append(byEntity, EntityKeys.of(id.getDeviceIds().getApplicationIds()), event,
            config.historyMaxEvents(), cutoff);
      }
    }
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
      ArrayDeque<Event> log = byEntity.get(EntityKeys.of(id));
      if (log == null) {
        continue;
      }
      synchronized (log) {
        for (Event e : log) {
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
