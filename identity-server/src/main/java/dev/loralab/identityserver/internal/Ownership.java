package dev.loralab.identityserver.internal;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.ProtoTable;
import java.util.Optional;

/** Which user owns which application or gateway. Written in the same batch as the entity. */
public final class Ownership {
  private final ProtoTable<EntityIdentifiers> owners;

  /** @param store the store */
  public Ownership(KeyValueStore store) {
    this.owners = new ProtoTable<>(store, Namespaces.OWNERS, EntityIdentifiers.parser());
  }

  /** The owner of {@code entity}, if recorded. */
  public Optional<EntityIdentifiers> ownerOf(EntityIdentifiers entity) {
    return owners.get(EntityKeys.of(entity));
  }

  /** Adds the recording of {@code owner} owning {@code entity} to {@code batch}. */
  public Batch record(Batch batch, EntityIdentifiers entity, EntityIdentifiers owner) {
    return batch.put(owners, EntityKeys.of(entity), owner);
  }

  /** Adds the removal of {@code entity}'s ownership record to {@code batch}. */
  public Batch forget(Batch batch, EntityIdentifiers entity) {
    return batch.delete(owners, EntityKeys.of(entity));
  }
}
