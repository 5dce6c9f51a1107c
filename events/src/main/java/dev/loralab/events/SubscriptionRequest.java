package dev.loralab.events;

import dev.loralab.api.v3.EntityIdentifiers;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a subscriber wants: events of these entities (an application also gets the
 * propagate-to-parent events of its devices), optionally only these names.
 *
 * @param identifiers   the entities, at least one
 * @param names         expanded event names ({@link EventCatalogue#expandNames}); empty means all
 * @param queueCapacity bounded queue size of this subscriber
 */
public record SubscriptionRequest(List<EntityIdentifiers> identifiers, Set<String> names, int queueCapacity) {

  public SubscriptionRequest {
    identifiers = List.copyOf(Objects.requireNonNull(identifiers, "identifiers"));
    names = Set.copyOf(Objects.requireNonNull(names, "names"));
    if (identifiers.isEmpty()) {
      throw new IllegalArgumentException("identifiers: expected at least one entity, found none");
    }
    for (EntityIdentifiers id : identifiers) {
      if (id.getIdsCase() == EntityIdentifiers.IdsCase.IDS_NOT_SET) {
        throw new IllegalArgumentException("identifiers: expected an entity, found ids not set");
      }
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity: expected >= 1, found " + queueCapacity);
    }
  }

  /** All events of the given entities. */
  public static SubscriptionRequest of(int queueCapacity, EntityIdentifiers... identifiers) {
    return new SubscriptionRequest(List.of(identifiers), Set.of(), queueCapacity);
  }

  /** Whether a name passes the name filter. */
  public boolean acceptsName(String name) {
    return names.isEmpty() || names.contains(name);
  }
}
