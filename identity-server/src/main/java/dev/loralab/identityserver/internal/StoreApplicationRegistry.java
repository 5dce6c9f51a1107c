package dev.loralab.identityserver.internal;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.identityserver.ApiKeyRegistry;
import dev.loralab.identityserver.ApplicationRegistry;
import dev.loralab.identityserver.EndDeviceRegistry;
import dev.loralab.identityserver.EntityAlreadyExistsException;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.UserRegistry;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.ProtoTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link ApplicationRegistry} over a {@link KeyValueStore}. */
public final class StoreApplicationRegistry implements ApplicationRegistry {
  private final KeyValueStore store;
  private final ProtoTable<Application> applications;
  private final Ownership ownership;
  private final UserRegistry users;
  private final EndDeviceRegistry devices;
  private final ApiKeyRegistry apiKeys;
  private final EntityValidation validation;
  private final Clock clock;
  private final KeyedLocks locks;

  /** Creates the registry. */
  public StoreApplicationRegistry(KeyValueStore store, Ownership ownership, UserRegistry users,
      EndDeviceRegistry devices, ApiKeyRegistry apiKeys, EntityValidation validation, Clock clock,
      KeyedLocks locks) {
    this.store = store;
    this.applications = new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser());
    this.ownership = ownership;
    this.users = users;
    this.devices = devices;
    this.apiKeys = apiKeys;
    this.validation = validation;
    this.clock = clock;
    this.locks = locks;
  }

  private static String lockKey(String id) {
    return "application:" + id;
  }

  @Override
  public Application create(Application application, UserIdentifiers owner) {
    validation.application(application);
    String id = application.getIds().getApplicationId();
    if (users.get(owner.getUserId()).isEmpty()) {
      throw new EntityNotFoundException("user:" + owner.getUserId());
    }
    return locks.withLock(lockKey(id), () -> {
      if (applications.get(id).isPresent()) {
        throw new EntityAlreadyExistsException("application:" + id, "ID");
      }
      var now = Timestamps.of(clock.instant());
      Application stored = application.toBuilder().setCreatedAt(now).setUpdatedAt(now).build();
      Batch batch = new Batch().put(applications, id, stored);
      ownership.record(batch, EntityKeys.application(id),
          EntityKeys.user(owner.getUserId()));
      store.write(batch, Durability.DURABLE);
      return stored;
    });
  }

  @Override
  public Optional<Application> get(String applicationId) {
    return applications.get(applicationId);
  }

  @Override
  public List<Application> list() {
    return applications.scan("");
  }

  @Override
  public List<Application> listOwnedBy(UserIdentifiers owner) {
    List<Application> out = new ArrayList<>();
    for (String id : ownership.owned(EntityKeys.user(owner.getUserId()), "application")) {
      applications.get(id).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public Application update(String applicationId, UnaryOperator<Application> mutator) {
    return locks.withLock(lockKey(applicationId), () -> {
      Application existing = applications.get(applicationId)
          .orElseThrow(() -> new EntityNotFoundException("application:" + applicationId));
      Application changed = mutator.apply(existing).toBuilder()
          .setIds(existing.getIds())
          .setCreatedAt(existing.getCreatedAt())
          .setUpdatedAt(Timestamps.of(clock.instant()))
          .build();
      validation.application(changed);
      applications.put(applicationId, changed, Durability.DURABLE);
      return changed;
    });
  }

  @Override
  public boolean delete(String applicationId) {
    return locks.withLock(lockKey(applicationId), () -> {
      if (applications.get(applicationId).isEmpty()) {
        return false;
      }
      devices.deleteAll(applicationId);
      apiKeys.deleteAll(EntityKeys.application(applicationId));
      Batch batch = new Batch().delete(applications, applicationId);
      ownership.forget(batch, EntityKeys.application(applicationId));
      store.write(batch, Durability.DURABLE);
      return true;
    });
  }
}
