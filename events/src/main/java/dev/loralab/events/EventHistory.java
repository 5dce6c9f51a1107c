package dev.loralab.events;

import dev.loralab.api.v3.EntityIdentifiers;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Recent events per entity and per correlation ID, for {@code tail}, {@code after},
 * {@code Last-Event-ID} resume and {@code FindRelated}. Results are in publication order (by
 * unique ID, which is monotonic per process).
 *
 * <p>An application's history also holds the propagate-to-parent events of its devices.
 */
public interface EventHistory {

  /** Records a published event. */
  void record(Event event);

  /** The last {@code n} events of the entities (merged, de-duplicated). */
  List<Event> tail(Collection<EntityIdentifiers> identifiers, int n);

  /** The events of the entities strictly after {@code time}. */
  List<Event> after(Collection<EntityIdentifiers> identifiers, Instant time);

  /** The events of the entities published after the event with this unique ID ({@code Last-Event-ID}). */
  List<Event> afterEventId(Collection<EntityIdentifiers> identifiers, String uniqueId);

  /** The events carrying this correlation ID. */
  List<Event> related(String correlationId);
}
