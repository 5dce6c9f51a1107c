package dev.loralab.identityserver.internal;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.User;
import dev.loralab.identityserver.ApiKeyRegistry;
import dev.loralab.identityserver.EntityAlreadyExistsException;
import dev.loralab.identityserver.UserRegistry;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.ProtoTable;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** {@link UserRegistry} over a {@link KeyValueStore}. */
public final class StoreUserRegistry implements UserRegistry {
  private final ProtoTable<User> users;
  private final ApiKeyRegistry apiKeys;
  private final EntityValidation validation;
  private final Clock clock;
  private final KeyedLocks locks;

  /** Creates the registry. */
  public StoreUserRegistry(KeyValueStore store, ApiKeyRegistry apiKeys, EntityValidation validation,
      Clock clock, KeyedLocks locks) {
    this.users = new ProtoTable<>(store, Namespaces.USERS, User.parser());
    this.apiKeys = apiKeys;
    this.validation = validation;
    this.clock = clock;
    this.locks = locks;
  }

  @Override
  public User create(User user) {
    validation.user(user);
    String id = user.getIds().getUserId();
    return locks.withLock("user:" + id, () -> {
      if (users.get(id).isPresent()) {
        throw new EntityAlreadyExistsException("user:" + id, "ID");
      }
      var now = Timestamps.of(clock.instant());
      User stored = user.toBuilder().setCreatedAt(now).setUpdatedAt(now).build();
      users.put(id, stored, Durability.DURABLE);
      return stored;
    });
  }

  @Override
  public Optional<User> get(String userId) {
    return users.get(userId);
  }

  @Override
  public List<User> list() {
    return users.scan("");
  }

  @Override
  public boolean delete(String userId) {
    boolean existed = locks.withLock("user:" + userId, () -> {
      if (users.get(userId).isEmpty()) {
        return false;
      }
      users.delete(userId, Durability.DURABLE);
      return true;
    });
    if (existed) {
      apiKeys.deleteAll(EntityKeys.user(userId));
    }
    return existed;
  }
}
