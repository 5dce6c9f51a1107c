package dev.loralab.identityserver.internal;

import com.google.protobuf.ByteString;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Entry;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.ProtoTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which user owns which application or gateway, with a reverse index for listing. Written in the
 * same batch as the entity.
 */
public final class Ownership {
  private final ProtoTable<EntityIdentifiers> owners;
  private final KeyValueStore store;

  /** @param store the store */
  public Ownership(KeyValueStore store) {
    this.store = store;
    this.owners = new ProtoTable<>(store, Namespaces.OWNERS, EntityIdentifiers.parser());
  }

  /** The owner of {@code entity}, if recorded. */
  public Optional<EntityIdentifiers> ownerOf(EntityIdentifiers entity) {
    return owners.get(EntityKeys.of(entity));
  }

  /** Adds the recording of {@code owner} owning {@code entity} to {@code batch}. */
  public Batch record(Batch batch, EntityIdentifiers entity, EntityIdentifiers owner) {
    return batch.put(owners, EntityKeys.of(entity), owner)
        .put(Namespaces.OWNED, EntityKeys.of(owner) + "/" + EntityKeys.of(entity), ByteString.EMPTY);
  }

  /** Adds the removal of {@code entity}'s ownership records to {@code batch}. */
  public Batch forget(Batch batch, EntityIdentifiers entity) {
    ownerOf(entity).ifPresent(o ->
        batch.delete(Namespaces.OWNED, EntityKeys.of(o) + "/" + EntityKeys.of(entity)));
    return batch.delete(owners, EntityKeys.of(entity));
  }

  /**
   * The IDs of the entities of one kind owned by {@code owner}, in order.
   *
   * @param kind the {@link EntityKeys} prefix without colon, e.g. {@code "application"}
   */
  public List<String> owned(EntityIdentifiers owner, String kind) {
    String prefix = EntityKeys.of(owner) + "/" + kind + ":";
    List<String> out = new ArrayList<>();
    for (Entry e : store.scan(Namespaces.OWNED, prefix)) {
      out.add(e.key().substring(prefix.length()));
    }
    return out;
  }
}
