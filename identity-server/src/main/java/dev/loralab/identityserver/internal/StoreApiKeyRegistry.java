package dev.loralab.identityserver.internal;

import com.google.protobuf.Timestamp;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.auth.Unauthenticated;
import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.identityserver.ApiKeyRegistry;
import dev.loralab.identityserver.ApiKeyToken;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.InvalidFieldException;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.ProtoTable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ApiKeyRegistry} over a {@link KeyValueStore}, with a verification cache. */
public final class StoreApiKeyRegistry implements ApiKeyRegistry {
  private record Verified(String keyId, Caller caller, Instant expiresAt) {}

  private final ProtoTable<APIKey> keys;
  private final ProtoTable<EntityIdentifiers> owners;
  private final ApiKeySecrets secrets;
  private final Clock clock;
  private final int cacheCapacity;
  private final ConcurrentHashMap<String, Verified> cache = new ConcurrentHashMap<>();
  private final KeyedLocks locks = new KeyedLocks();

  /**
   * @param store the store
   * @param secrets token generation and hashing
   * @param clock the clock for creation times and expiry
   * @param cacheCapacity the maximum number of cached verifications (the cache is cleared when
   *     full)
   */
  public StoreApiKeyRegistry(KeyValueStore store, ApiKeySecrets secrets, Clock clock,
      int cacheCapacity) {
    this.keys = new ProtoTable<>(store, Namespaces.API_KEYS, APIKey.parser());
    this.owners = new ProtoTable<>(store, Namespaces.API_KEY_OWNERS, EntityIdentifiers.parser());
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (cacheCapacity < 1) {
      throw new IllegalArgumentException("cacheCapacity: expected >= 1, found " + cacheCapacity);
    }
    this.cacheCapacity = cacheCapacity;
  }

  private static String storeKey(EntityIdentifiers owner, String keyId) {
    return EntityKeys.of(owner) + "/" + keyId;
  }

  private void validate(EntityIdentifiers owner, Collection<Right> rights,
      Optional<Instant> expiresAt) {
    if (owner.getIdsCase() == EntityIdentifiers.IdsCase.IDS_NOT_SET) {
      throw new InvalidFieldException("ids", "entity identifiers", "none");
    }
    RightSet set = RightSet.of(rights);
    if (set.isEmpty()) {
      throw new InvalidFieldException("rights", "at least one right", "none");
    }
    if (owner.getIdsCase() != EntityIdentifiers.IdsCase.USER_IDS) {
      RightSet scoped = set.scopedTo(owner);
      if (!scoped.equals(set)) {
        throw new InvalidFieldException("rights", "rights of the " + owner.getIdsCase()
            .name().toLowerCase(java.util.Locale.ROOT).replace("_ids", "") + " kind", set.toString());
      }
    }
    if (expiresAt.isPresent() && !expiresAt.get().isAfter(clock.instant())) {
      throw new InvalidFieldException("expires_at", "a time in the future", expiresAt.get().toString());
    }
  }

  @Override
  public APIKey create(EntityIdentifiers owner, String name, Collection<Right> rights,
      Optional<Instant> expiresAt) {
    validate(owner, rights, expiresAt);
    ApiKeyToken token = secrets.newToken();
    Timestamp now = Timestamps.of(clock.instant());
    APIKey.Builder b = APIKey.newBuilder()
        .setId(token.id())
        .setName(name == null ? "" : name)
        .addAllRights(RightSet.of(rights).asSet())
        .setCreatedAt(now)
        .setUpdatedAt(now);
    expiresAt.ifPresent(t -> b.setExpiresAt(Timestamps.of(t)));
    APIKey stored = b.clone().setKey(secrets.hash(token.secret())).build();
    keys.store().write(new Batch()
        .put(keys, storeKey(owner, token.id()), stored)
        .put(owners, token.id(), owner), Durability.DURABLE);
    return b.setKey(token.format()).build();
  }

  @Override
  public Optional<APIKey> get(EntityIdentifiers owner, String keyId) {
    return keys.get(storeKey(owner, keyId)).map(k -> k.toBuilder().clearKey().build());
  }

  @Override
  public List<APIKey> list(EntityIdentifiers owner) {
    List<APIKey> out = new ArrayList<>();
    for (APIKey k : keys.scan(EntityKeys.of(owner) + "/")) {
      out.add(k.toBuilder().clearKey().build());
    }
    return out;
  }

  @Override
  public APIKey update(EntityIdentifiers owner, String keyId, String name,
      Collection<Right> rights, Optional<Instant> expiresAt) {
    validate(owner, rights, expiresAt);
    String sk = storeKey(owner, keyId);
    APIKey updated = locks.withLock(sk, () -> {
      APIKey existing = keys.get(sk)
          .orElseThrow(() -> new EntityNotFoundException(EntityKeys.of(owner) + " API key " + keyId));
      APIKey.Builder b = existing.toBuilder()
          .setName(name == null ? "" : name)
          .clearRights().addAllRights(RightSet.of(rights).asSet())
          .setUpdatedAt(Timestamps.of(clock.instant()))
          .clearExpiresAt();
      expiresAt.ifPresent(t -> b.setExpiresAt(Timestamps.of(t)));
      APIKey out = b.build();
      keys.put(sk, out, Durability.DURABLE);
      return out;
    });
    invalidate(keyId);
    return updated.toBuilder().clearKey().build();
  }

  @Override
  public boolean delete(EntityIdentifiers owner, String keyId) {
    String sk = storeKey(owner, keyId);
    boolean existed = locks.withLock(sk, () -> {
      if (keys.get(sk).isEmpty()) {
        return false;
      }
      keys.store().write(new Batch().delete(keys, sk).delete(owners, keyId), Durability.DURABLE);
      return true;
    });
    invalidate(keyId);
    return existed;
  }

  @Override
  public int deleteAll(EntityIdentifiers owner) {
    int n = 0;
    for (APIKey k : keys.scan(EntityKeys.of(owner) + "/")) {
      if (delete(owner, k.getId())) {
        n++;
      }
    }
    return n;
  }

  private void invalidate(String keyId) {
    cache.values().removeIf(v -> v.keyId().equals(keyId));
  }

  @Override
  public Caller authenticate(String token) {
    ApiKeyToken parsed = ApiKeyToken.parse(token);
    String fingerprint = ApiKeySecrets.fingerprint(token);
    Instant now = clock.instant();
    Verified cached = cache.get(fingerprint);
    if (cached != null) {
      if (cached.expiresAt() != null && !cached.expiresAt().isAfter(now)) {
        cache.remove(fingerprint);
        throw new Unauthenticated("API key " + parsed.id() + " expired");
      }
      return cached.caller();
    }
    EntityIdentifiers owner = owners.get(parsed.id())
        .orElseThrow(() -> new Unauthenticated("unknown API key " + parsed.id()));
    APIKey stored = keys.get(storeKey(owner, parsed.id()))
        .orElseThrow(() -> new Unauthenticated("unknown API key " + parsed.id()));
    if (!ApiKeySecrets.verify(parsed.secret(), stored.getKey())) {
      throw new Unauthenticated("invalid secret for API key " + parsed.id());
    }
    Instant expiresAt = stored.hasExpiresAt() ? Timestamps.toInstant(stored.getExpiresAt()) : null;
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new Unauthenticated("API key " + parsed.id() + " expired");
    }
    Caller caller = new Caller(parsed.id(), owner, RightSet.of(stored.getRightsList()));
    if (cache.size() >= cacheCapacity) {
      cache.clear();
    }
    cache.put(fingerprint, new Verified(parsed.id(), caller, expiresAt));
    // A concurrent delete or update may have invalidated before our put: re-check.
    Optional<APIKey> again = keys.get(storeKey(owner, parsed.id()));
    if (again.isEmpty() || !again.get().equals(stored)) {
      cache.remove(fingerprint);
    }
    return caller;
  }

  /** The number of cached verifications (for tests and metrics). */
  public int cachedVerifications() {
    return cache.size();
  }
}
