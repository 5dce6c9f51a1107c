package dev.loralab.identityserver.internal;

import com.google.protobuf.ByteString;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.identityserver.ApiKeyRegistry;
import dev.loralab.identityserver.EntityAlreadyExistsException;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.GatewayRegistry;
import dev.loralab.identityserver.UserRegistry;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.ProtoTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link GatewayRegistry} over a {@link KeyValueStore}, with a unique EUI index. */
public final class StoreGatewayRegistry implements GatewayRegistry {
  private final KeyValueStore store;
  private final ProtoTable<Gateway> gateways;
  private final Ownership ownership;
  private final UserRegistry users;
  private final ApiKeyRegistry apiKeys;
  private final EntityValidation validation;
  private final Clock clock;
  private final KeyedLocks locks;

  /** Creates the registry. */
  public StoreGatewayRegistry(KeyValueStore store, Ownership ownership, UserRegistry users,
      ApiKeyRegistry apiKeys, EntityValidation validation, Clock clock, KeyedLocks locks) {
    this.store = store;
    this.gateways = new ProtoTable<>(store, Namespaces.GATEWAYS, Gateway.parser());
    this.ownership = ownership;
    this.users = users;
    this.apiKeys = apiKeys;
    this.validation = validation;
    this.clock = clock;
    this.locks = locks;
  }

  private static String lockKey(String id) {
    return "gateway:" + id;
  }

  private static String euiLockKey(String eui) {
    return "gateway-eui:" + eui;
  }

  private Optional<String> euiOwner(String eui) {
    return store.get(Namespaces.GATEWAY_EUIS, eui).map(ByteString::toStringUtf8);
  }

  @Override
  public Gateway create(Gateway gateway, UserIdentifiers owner) {
    Gateway valid = validation.gateway(gateway);
    String id = valid.getIds().getGatewayId();
    if (users.get(owner.getUserId()).isEmpty()) {
      throw new EntityNotFoundException("user:" + owner.getUserId());
    }
    return locks.withLock(lockKey(id), () -> {
      if (gateways.get(id).isPresent()) {
        throw new EntityAlreadyExistsException("gateway:" + id, "ID");
      }
      var now = Timestamps.of(clock.instant());
      Gateway stored = valid.toBuilder().setCreatedAt(now).setUpdatedAt(now).build();
      String eui = stored.getIds().getEui();
      return locks.withLock(euiLockKey(eui), () -> {
        Batch batch = new Batch().put(gateways, id, stored);
        if (!eui.isEmpty()) {
          Optional<String> taken = euiOwner(eui);
          if (taken.isPresent()) {
            throw new EntityAlreadyExistsException("gateway:" + taken.get(), "EUI " + eui);
          }
          batch.put(Namespaces.GATEWAY_EUIS, eui, ByteString.copyFromUtf8(id));
        }
        ownership.record(batch, EntityKeys.gateway(id), EntityKeys.user(owner.getUserId()));
        store.write(batch, Durability.DURABLE);
        return stored;
      });
    });
  }

  @Override
  public Optional<Gateway> get(String gatewayId) {
    return gateways.get(gatewayId);
  }

  @Override
  public Optional<Gateway> getByEui(String eui) {
    if (eui == null || eui.isEmpty()) {
      return Optional.empty();
    }
    return euiOwner(eui.toUpperCase(Locale.ROOT)).flatMap(gateways::get);
  }

  @Override
  public List<Gateway> list() {
    return gateways.scan("");
  }

  @Override
  public List<Gateway> listOwnedBy(UserIdentifiers owner) {
    List<Gateway> out = new ArrayList<>();
    for (String id : ownership.owned(EntityKeys.user(owner.getUserId()), "gateway")) {
      gateways.get(id).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public Gateway update(String gatewayId, UnaryOperator<Gateway> mutator) {
    return locks.withLock(lockKey(gatewayId), () -> {
      Gateway existing = gateways.get(gatewayId)
          .orElseThrow(() -> new EntityNotFoundException("gateway:" + gatewayId));
      Gateway mutated = mutator.apply(existing);
      Gateway.Builder b = mutated.toBuilder()
          .setCreatedAt(existing.getCreatedAt())
          .setUpdatedAt(Timestamps.of(clock.instant()));
      b.getIdsBuilder().setGatewayId(gatewayId);
      // Keep frequency_plan_id and frequency_plan_ids in sync when only one was changed.
      if (!mutated.getFrequencyPlanId().equals(existing.getFrequencyPlanId())
          && mutated.getFrequencyPlanIdsList().equals(existing.getFrequencyPlanIdsList())) {
        b.clearFrequencyPlanIds();
      }
      Gateway changed = validation.gateway(b.build());
      String oldEui = existing.getIds().getEui();
      String newEui = changed.getIds().getEui();
      Batch batch = new Batch().put(gateways, gatewayId, changed);
      if (oldEui.equals(newEui)) {
        store.write(batch, Durability.DURABLE);
        return changed;
      }
      if (!oldEui.isEmpty()) {
        batch.delete(Namespaces.GATEWAY_EUIS, oldEui);
      }
      return locks.withLock(euiLockKey(newEui), () -> {
        if (!newEui.isEmpty()) {
          Optional<String> taken = euiOwner(newEui);
          if (taken.isPresent()) {
            throw new EntityAlreadyExistsException("gateway:" + taken.get(), "EUI " + newEui);
          }
          batch.put(Namespaces.GATEWAY_EUIS, newEui, ByteString.copyFromUtf8(gatewayId));
        }
        store.write(batch, Durability.DURABLE);
        return changed;
      });
    });
  }

  @Override
  public boolean delete(String gatewayId) {
    return locks.withLock(lockKey(gatewayId), () -> {
      Optional<Gateway> existing = gateways.get(gatewayId);
      if (existing.isEmpty()) {
        return false;
      }
      apiKeys.deleteAll(EntityKeys.gateway(gatewayId));
      Batch batch = new Batch().delete(gateways, gatewayId);
      String eui = existing.get().getIds().getEui();
      if (!eui.isEmpty()) {
        batch.delete(Namespaces.GATEWAY_EUIS, eui);
      }
      ownership.forget(batch, EntityKeys.gateway(gatewayId));
      store.write(batch, Durability.DURABLE);
      return true;
    });
  }
}
