package dev.loralab.identityserver.internal;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.identityserver.EndDeviceCacheStats;
import dev.loralab.identityserver.EndDeviceRegistry;
import dev.loralab.identityserver.EntityAlreadyExistsException;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.IdentityServerConfig;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.Entry;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.ProtoTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@link EndDeviceRegistry} over a {@link KeyValueStore}. The device and its index entries are
 * written in one atomic batch under the device's lock (lock order: application, device, EUI).
 *
 * <p>Parsed devices are cached ({@link EndDeviceCache}, bounded, write-through): every write path
 * updates or invalidates the cache under the device's lock after the store write, so reads by key,
 * by EUI and by DevAddr never return a device older than the last completed write. The registry
 * must be the only writer of its namespaces (one registry per store); the store stays the truth
 * and the cache is lost on restart.
 */
public final class StoreEndDeviceRegistry implements EndDeviceRegistry {
  /** The default number of cached parsed devices. */
  public static final int DEFAULT_CACHE_CAPACITY =
      IdentityServerConfig.DEFAULT_END_DEVICE_CACHE_CAPACITY;

  private final KeyValueStore store;
  private final ProtoTable<EndDevice> devices;
  private final ProtoTable<Application> applications;
  private final EntityValidation validation;
  private final Clock clock;
  private final KeyedLocks locks;
  private final EndDeviceCache cache;
  private final Function<String, EndDevice> load;

  /** Creates the registry with a cache of {@link #DEFAULT_CACHE_CAPACITY} devices. */
  public StoreEndDeviceRegistry(KeyValueStore store, EntityValidation validation, Clock clock,
      KeyedLocks locks) {
    this(store, validation, clock, locks, DEFAULT_CACHE_CAPACITY);
  }

  /**
   * Creates the registry.
   *
   * @param cacheCapacity how many parsed devices are cached at most (0: no cache)
   */
  public StoreEndDeviceRegistry(KeyValueStore store, EntityValidation validation, Clock clock,
      KeyedLocks locks, int cacheCapacity) {
    this.cache = new EndDeviceCache(cacheCapacity);
    this.store = store;
    this.devices = new ProtoTable<>(store, Namespaces.END_DEVICES, EndDevice.parser());
    this.applications = new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser());
    this.validation = validation;
    this.clock = clock;
    this.locks = locks;
    this.load = k -> devices.get(k).orElse(null);
  }

  /** The cache (for tests). */
  EndDeviceCache cache() {
    return cache;
  }

  /** The cache's capacity and hit and miss counts since start. */
  public EndDeviceCacheStats cacheStats() {
    return new EndDeviceCacheStats(cache.capacity(), cache.hits(), cache.misses());
  }

  private Optional<EndDevice> cached(String k) {
    return Optional.ofNullable(cache.get(k, load));
  }

  private static String key(String applicationId, String deviceId) {
    return applicationId + "/" + deviceId;
  }

  private static String key(EndDeviceIdentifiers ids) {
    return key(ids.getApplicationIds().getApplicationId(), ids.getDeviceId());
  }

  private static String euiKey(EndDeviceIdentifiers ids) {
    return ids.getJoinEui().isEmpty() || ids.getDevEui().isEmpty()
        ? "" : ids.getJoinEui() + "/" + ids.getDevEui();
  }

  private static Set<String> devAddrs(EndDevice d) {
    Set<String> out = new TreeSet<>();
    if (d.hasSession() && !d.getSession().getDevAddr().isEmpty()) {
      out.add(d.getSession().getDevAddr());
    }
    if (d.hasPendingSession() && !d.getPendingSession().getDevAddr().isEmpty()) {
      out.add(d.getPendingSession().getDevAddr());
    }
    return out;
  }

  @Override
  public EndDevice create(EndDevice device) {
    EndDevice valid = validation.endDevice(device);
    String appId = valid.getIds().getApplicationIds().getApplicationId();
    String k = key(valid.getIds());
    return locks.withLock("application:" + appId, () -> {
      if (applications.get(appId).isEmpty()) {
        throw new EntityNotFoundException("application:" + appId);
      }
      return locks.withLock("device:" + k, () -> {
        if (cached(k).isPresent()) {
          throw new EntityAlreadyExistsException("device:" + k, "ID");
        }
        var now = Timestamps.of(clock.instant());
        EndDevice stored = valid.toBuilder().setCreatedAt(now).setUpdatedAt(now).build();
        return writeWithIndexes(k, null, stored, Durability.DURABLE);
      });
    });
  }

  /**
   * Writes {@code next} and moves its index entries from {@code previous}, then caches
   * {@code next}; under the device lock. If the write fails, the cached device is dropped (the
   * store may or may not have applied it).
   */
  private EndDevice writeWithIndexes(String k, EndDevice previous, EndDevice next,
      Durability durability) {
    try {
      writeToStore(k, previous, next, durability);
    } catch (RuntimeException | Error e) {
      cache.invalidate(k);
      throw e;
    }
    cache.put(k, next);
    return next;
  }

  private static String devAddr(EndDevice d) {
    return d.hasSession() ? d.getSession().getDevAddr() : "";
  }

  private static String pendingDevAddr(EndDevice d) {
    return d.hasPendingSession() ? d.getPendingSession().getDevAddr() : "";
  }

  private void writeToStore(String k, EndDevice previous, EndDevice next,
      Durability durability) {
    Batch batch = new Batch().put(devices, k, next);
    // The DevAddr index changes only when a session starts, ends or changes address: an uplink's
    // frame counter update writes the device alone.
    boolean sameAddrs = previous != null
        && devAddr(previous).equals(devAddr(next))
        && pendingDevAddr(previous).equals(pendingDevAddr(next));
    if (!sameAddrs) {
      Set<String> oldAddrs = previous == null ? Set.of() : devAddrs(previous);
      Set<String> newAddrs = devAddrs(next);
      for (String a : oldAddrs) {
        if (!newAddrs.contains(a)) {
          batch.delete(Namespaces.END_DEVICE_ADDRS, a + "/" + k);
        }
      }
      for (String a : newAddrs) {
        if (!oldAddrs.contains(a)) {
          batch.put(Namespaces.END_DEVICE_ADDRS, a + "/" + k, ByteString.EMPTY);
        }
      }
    }
    String oldEui = previous == null ? "" : euiKey(previous.getIds());
    String newEui = euiKey(next.getIds());
    if (oldEui.equals(newEui)) {
      store.write(batch, durability);
      return;
    }
    if (!oldEui.isEmpty()) {
      batch.delete(Namespaces.END_DEVICE_EUIS, oldEui);
    }
    if (newEui.isEmpty()) {
      store.write(batch, durability);
      return;
    }
    locks.withLock("device-eui:" + newEui, () -> {
      Optional<ByteString> taken = store.get(Namespaces.END_DEVICE_EUIS, newEui);
      if (taken.isPresent() && !taken.get().toStringUtf8().equals(k)) {
        throw new EntityAlreadyExistsException("device:" + taken.get().toStringUtf8(),
            "JoinEUI/DevEUI " + newEui);
      }
      batch.put(Namespaces.END_DEVICE_EUIS, newEui, ByteString.copyFromUtf8(k));
      store.write(batch, durability);
    });
  }

  @Override
  public Optional<EndDevice> get(EndDeviceIdentifiers ids) {
    return cached(key(ids));
  }

  @Override
  public Optional<EndDevice> getByEui(String joinEui, String devEui) {
    if (joinEui == null || devEui == null || joinEui.isEmpty() || devEui.isEmpty()) {
      return Optional.empty();
    }
    String ek = joinEui.toUpperCase(Locale.ROOT) + "/" + devEui.toUpperCase(Locale.ROOT);
    return store.get(Namespaces.END_DEVICE_EUIS, ek)
        .flatMap(v -> cached(v.toStringUtf8()));
  }

  @Override
  public List<EndDevice> byDevAddr(String devAddr) {
    if (devAddr == null || devAddr.isEmpty()) {
      return List.of();
    }
    String prefix = devAddr.toUpperCase(Locale.ROOT) + "/";
    List<EndDevice> out = new ArrayList<>();
    for (Entry e : store.scan(Namespaces.END_DEVICE_ADDRS, prefix)) {
      EndDevice d = cache.get(e.key().substring(prefix.length()), load);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  @Override
  public List<EndDevice> list(String applicationId) {
    return devices.scan(applicationId + "/");
  }

  @Override
  public EndDevice update(EndDeviceIdentifiers ids, UnaryOperator<EndDevice> mutator,
      Durability durability) {
    String k = key(ids);
    return locks.withLock("device:" + k, () -> {
      EndDevice existing = cache.get(k, load);
      if (existing == null) {
        throw new EntityNotFoundException("device:" + k);
      }
      EndDevice mutated = mutator.apply(existing);
      EndDeviceIdentifiers was = existing.getIds();
      EndDeviceIdentifiers mids = mutated.getIds();
      String devEui = EntityValidation.optionalHex("end_device.ids.dev_eui", mids.getDevEui(), 16);
      String joinEui = EntityValidation.optionalHex("end_device.ids.join_eui", mids.getJoinEui(),
          16);
      String addr = mutated.hasSession() ? EntityValidation.hex("end_device.session.dev_addr",
          mutated.getSession().getDevAddr(), 8) : "";
      String pendingAddr = mutated.hasPendingSession() ? EntityValidation.hex(
          "end_device.pending_session.dev_addr", mutated.getPendingSession().getDevAddr(), 8)
          : "";
      EndDevice.Builder b = mutated.toBuilder()
          .setCreatedAt(existing.getCreatedAt())
          .setUpdatedAt(Timestamps.of(clock.instant()));
      // Rebuild nested messages only when a normalized field differs (usually none does).
      if (!mids.getDeviceId().equals(was.getDeviceId())
          || !mids.getApplicationIds().equals(was.getApplicationIds())
          || !mids.getDevEui().equals(devEui) || !mids.getJoinEui().equals(joinEui)
          || !mids.getDevAddr().equals(addr)) {
        b.getIdsBuilder()
            .setDeviceId(was.getDeviceId())
            .setApplicationIds(was.getApplicationIds())
            .setDevEui(devEui)
            .setJoinEui(joinEui)
            .setDevAddr(addr);
      }
      if (mutated.hasSession() && !mutated.getSession().getDevAddr().equals(addr)) {
        b.getSessionBuilder().setDevAddr(addr);
      }
      if (mutated.hasPendingSession()
          && !mutated.getPendingSession().getDevAddr().equals(pendingAddr)) {
        b.getPendingSessionBuilder().setDevAddr(pendingAddr);
      }
      return writeWithIndexes(k, existing, b.build(), durability);
    });
  }

  @Override
  public boolean delete(EndDeviceIdentifiers ids) {
    String k = key(ids);
    return locks.withLock("device:" + k, () -> {
      Optional<EndDevice> existing = cached(k);
      if (existing.isEmpty()) {
        return false;
      }
      Batch batch = new Batch().delete(devices, k);
      for (String a : devAddrs(existing.get())) {
        batch.delete(Namespaces.END_DEVICE_ADDRS, a + "/" + k);
      }
      String ek = euiKey(existing.get().getIds());
      if (!ek.isEmpty()) {
        batch.delete(Namespaces.END_DEVICE_EUIS, ek);
      }
      try {
        store.write(batch, Durability.DURABLE);
      } finally {
        cache.invalidate(k);
      }
      return true;
    });
  }

  @Override
  public int deleteAll(String applicationId) {
    int n = 0;
    for (String k : devices.keys(applicationId + "/")) {
      EndDeviceIdentifiers ids = EndDeviceIdentifiers.newBuilder()
          .setDeviceId(k.substring(applicationId.length() + 1))
          .setApplicationIds(dev.loralab.api.v3.ApplicationIdentifiers.newBuilder()
              .setApplicationId(applicationId))
          .build();
      if (delete(ids)) {
        n++;
      }
    }
    return n;
  }
}
