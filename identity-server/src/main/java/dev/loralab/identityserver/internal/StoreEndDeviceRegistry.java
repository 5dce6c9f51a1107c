package dev.loralab.identityserver.internal;

import com.google.protobuf.ByteString;
import dev.loralab.api.EndDeviceCopies;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.identityserver.EndDeviceCacheStats;
import dev.loralab.identityserver.EndDeviceRegistry;
import dev.loralab.identityserver.EndDeviceWriteListener;
import dev.loralab.identityserver.EntityAlreadyExistsException;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.IdentityServerConfig;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.DirectMappedCache;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EndDeviceRegistry} over a {@link KeyValueStore}. The device and its index entries are
 * written in one atomic batch under the device's lock (lock order: application, shared by creates,
 * then device, then EUI).
 *
 * <p>Parsed devices are cached ({@link DirectMappedCache}, bounded, write-through): every write
 * updates or invalidates the cache when the store write completes, so reads by key,
 * by EUI and by DevAddr never return a device older than the last completed write. (While the
 * fleet does not fit the cache, a write keeps only the device's key there, see
 * {@link #fleetFits}: the next read loads what the write stored.) Nor does a reader ever see a device
 * older than one it has already read: a read that loads from the store may see a write that has not
 * completed, so submitting a write takes the device's value out of the cache (keeping its key),
 * a load is cached only while no write of the device is in flight, and the write's completion
 * caches the written device; otherwise a reader that read the new device from the store could
 * then be answered the previous one from the cache. The registry
 * must be the only writer of its namespaces (one registry per store); the store stays the truth
 * and the cache is lost on restart.
 *
 * <p>Writes are submitted with {@link KeyValueStore#writeAsync} under the device's lock, and the
 * device as written is remembered as <em>pending</em> until the write completes: the next writer
 * of the device builds on it (so {@link #updateAsync} never loses an update, even while the
 * previous write is still being synced), while readers see what the store shows (from its
 * submission, the device's value is out of the cache) and at the latest the completed write. The
 * store applies and completes writes in submission order, so the cache, updated on completion,
 * follows the same order; a completion caches its device only if no later write of the device was
 * submitted meanwhile. If a write fails, the cache forgets the device; a later write of the device that
 * was already built on the failed one may still store its changes (frame counters only move
 * forward, so this is harmless). Writes that change the JoinEUI/DevEUI index complete before the
 * EUI's lock is released, so the uniqueness check always sees them.
 *
 * <p>The DevAddr index is cached too (a second {@link DirectMappedCache}, DevAddr to the keys of
 * the devices with that address, as a scan of the index returns them; an address without devices
 * is cached as an empty list), so that a data uplink's {@link #byDevAddr} needs no store scan. A
 * DevAddr's entry is only ever loaded from the store (a scan), never written: every write whose
 * batch puts or deletes index entries of an address (a session or pending session that starts,
 * ends or changes address, a rejoin, a delete, and so an application's deletion) invalidates that
 * address when it completes, whether it succeeded or failed, and a synchronous submission failure
 * invalidates it at once. The cache's loads install only if no write touched the set meanwhile,
 * so a scan made before a write was applied never outlives the write's completion: the entry is
 * never older than the last completed write of the index, whichever device made it. Writes that
 * leave the addresses alone (frame counter updates) do not touch it.
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
  private final DirectMappedCache<String, EndDevice> cache;
  private final Function<String, EndDevice> load;
  /**
   * Whether a reader's load of a device may be cached: not while a write of it is in flight, since
   * the store may already show that write to other readers, and it is cached only on completion.
   */
  private final Predicate<String> noWriteInFlight;
  /** DevAddr to the keys of its devices, in index order; loaded by a scan, invalidated by writes. */
  private final DirectMappedCache<String, List<String>> addrCache;
  private final Function<String, List<String>> loadAddr;
  /**
   * Whether the devices being read fit the cache: at least {@link #FITS_MIN_HIT_PERCENT} % of the
   * device reads are answered from the cache, or would be if written devices were kept (the
   * cache's hits plus its key-only misses). While they fit, uplink updates are merged
   * (EndDeviceMerge) and each written device is cached. While they do not (a fleet larger than the
   * cache):
   * <ul>
   *   <li>uplink updates are written whole: when most devices are read from the store, a merged
   *       value costs more to read (RocksDB merges the operands, a longer parse, the history cut)
   *       than its write saved; 1M devices lost more uplinks with merges than without
   *       (BENCHMARKS.md, round 8);
   *   <li>a written device is cached by its key only ({@link DirectMappedCache#putKeyOnly}): its
   *       next read is seconds away and most often evicted first, and a parsed device kept that
   *       long survives young collections to be copied and promoted. With 100,000 devices, those
   *       kept in a cache of 32,768 were most of what the collector copied (BENCHMARKS.md, round
   *       11). The key tells whether a read would have hit, so the decision can turn back.
   * </ul>
   * Decided again, from the reads since the last decision (at least {@link #FITS_CHECK_READS} of
   * them), at about one write in {@link #FITS_CHECK_WRITES} (a per-thread random draw: no shared
   * counter per write).
   */
  private volatile boolean fleetFits;
  /**
   * Cache hits and misses, and key-only misses, when {@link #fleetFits} was last decided; guarded
   * by this.
   */
  private long checkedHits;
  private long checkedMisses;
  private long checkedKeyOnly;
  static final int FITS_MIN_HIT_PERCENT = 90;
  static final int FITS_CHECK_READS = 1024;
  static final int FITS_CHECK_WRITES = 256;
  /** One write in this many decides again; 0: only {@link #checkFleetFits} (tests). */
  private volatile int fitsCheckWrites = FITS_CHECK_WRITES;
  private static final Logger LOG = LoggerFactory.getLogger(StoreEndDeviceRegistry.class);
  private final List<EndDeviceWriteListener> listeners = new CopyOnWriteArrayList<>();
  /** Submitted, not yet completed writes by device key; identity matters. */
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

  /** A write of a device that has not completed yet; {@code next == null} is a deletion. */
  private static final class Pending {
    final EndDevice next;

    Pending(EndDevice next) {
      this.next = next;
    }
  }

  /** Creates the registry with a cache of {@link #DEFAULT_CACHE_CAPACITY} devices. */
  public StoreEndDeviceRegistry(KeyValueStore store, EntityValidation validation, Clock clock,
      KeyedLocks locks) {
    this(store, validation, clock, locks, DEFAULT_CACHE_CAPACITY);
  }

  /**
   * Creates the registry, with a DevAddr index cache of {@code cacheCapacity} addresses.
   *
   * @param cacheCapacity how many parsed devices are cached at most (0: no cache)
   */
  public StoreEndDeviceRegistry(KeyValueStore store, EntityValidation validation, Clock clock,
      KeyedLocks locks, int cacheCapacity) {
    this(store, validation, clock, locks, cacheCapacity, cacheCapacity);
  }

  /**
   * Creates the registry.
   *
   * @param cacheCapacity how many parsed devices are cached at most (0: no cache)
   * @param devAddrCacheCapacity how many DevAddrs' index entries (device keys by address) are
   *     cached at most (0: no cache, every {@link #byDevAddr} scans the store)
   */
  public StoreEndDeviceRegistry(KeyValueStore store, EntityValidation validation, Clock clock,
      KeyedLocks locks, int cacheCapacity, int devAddrCacheCapacity) {
    this.cache = new DirectMappedCache<>("cacheCapacity", cacheCapacity, true);
    this.fleetFits = cacheCapacity > 0;
    this.addrCache = new DirectMappedCache<>("devAddrCacheCapacity", devAddrCacheCapacity);
    this.store = store;
    this.devices = new ProtoTable<>(store, Namespaces.END_DEVICES, EndDevice.parser(),
        EndDeviceStorage::toStored, EndDeviceStorage::settle);
    this.applications = new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser());
    this.validation = validation;
    this.clock = clock;
    this.locks = locks;
    this.load = k -> devices.get(k).orElse(null);
    this.noWriteInFlight = k -> !pending.containsKey(k);
    this.loadAddr = this::scanDevAddr;
  }

  /** The keys of the devices with {@code devAddr}, by a scan of the index (never null). */
  private List<String> scanDevAddr(String devAddr) {
    String prefix = devAddr + "/";
    List<Entry> entries = store.scan(Namespaces.END_DEVICE_ADDRS, prefix);
    if (entries.isEmpty()) {
      return List.of();
    }
    if (entries.size() == 1) {
      return List.of(entries.get(0).key().substring(prefix.length()));
    }
    String[] keys = new String[entries.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = entries.get(i).key().substring(prefix.length());
    }
    return List.of(keys);
  }

  /** The DevAddr index cache (for tests). */
  DirectMappedCache<String, List<String>> devAddrCache() {
    return addrCache;
  }

  private void invalidateAddrs(Set<String> addrs) {
    for (String a : addrs) {
      addrCache.invalidate(a);
    }
  }

  /** The cache (for tests). */
  DirectMappedCache<String, EndDevice> cache() {
    return cache;
  }

  /** The cache's capacity and hit and miss counts since start. */
  public EndDeviceCacheStats cacheStats() {
    // Key-only misses first: each is counted as a miss before, so they never outnumber the misses.
    long keyOnly = cache.keyOnlyMisses();
    return new EndDeviceCacheStats(cache.capacity(), cache.hits(), cache.misses(), keyOnly,
        fleetFits);
  }

  private Optional<EndDevice> cached(String k) {
    return Optional.ofNullable(read(k));
  }

  /**
   * A reader's device (null if none): from the cache, else loaded, and cached only while no write
   * of it is in flight. Every read path goes through here (writers use {@link #current}).
   */
  private EndDevice read(String k) {
    return cache.get(k, load, noWriteInFlight);
  }

  /**
   * The device as its next writer must see it (call under the device's lock): the last submitted
   * write, completed or not; null if there is none (or the last submitted write deletes it).
   */
  private EndDevice current(String k) {
    Pending p = pending.get(k);
    return p != null ? p.next : cache.get(k, load);
  }

  /** {@link #fleetFits}, at times decided again from the cache's recent hit rate. */
  private boolean fleetFits() {
    int every = fitsCheckWrites;
    if (every > 0 && ThreadLocalRandom.current().nextInt(every) == 0) {
      checkFleetFits();
    }
    return fleetFits;
  }

  /** Decides {@link #fleetFits} from the cache reads since the last decision, if enough. */
  synchronized void checkFleetFits() {
    long keyOnly = cache.keyOnlyMisses(); // first: counted after their miss
    long hits = cache.hits();
    long misses = cache.misses();
    long h = hits - checkedHits;
    long m = misses - checkedMisses;
    if (h + m >= FITS_CHECK_READS) { // never, without a cache: it counts no reads
      long wouldHit = h + keyOnly - checkedKeyOnly;
      checkedHits = hits;
      checkedMisses = misses;
      checkedKeyOnly = keyOnly;
      fleetFits = wouldHit * 100 >= (h + m) * FITS_MIN_HIT_PERCENT;
    }
  }

  /** Decides whether the fleet fits only when {@link #checkFleetFits} is called (for tests). */
  void checkFitsOnlyByHand() {
    fitsCheckWrites = 0;
  }

  /**
   * Whether the fleet fits the cache now: uplink updates are merged and written devices cached
   * (for tests).
   */
  boolean fleetFitsCache() {
    return fleetFits;
  }

  /** The number of device writes submitted and not completed (for tests). */
  int pendingWrites() {
    return pending.size();
  }

  /**
   * Submits {@code batch}, which writes {@code next} (null: deletes the device) and puts or
   * deletes the DevAddr index entries of {@code indexedAddrs}, as the device's pending write; on
   * completion the caches follow and the write stops being pending. Call under the device's lock.
   */
  private CompletableFuture<EndDevice> submit(String k, EndDevice next, Batch batch,
      Set<String> indexedAddrs, Durability durability, boolean awaited) {
    Pending p = new Pending(next);
    pending.put(k, p);
    // The store may show this write to readers before it completes: from now on no read may be
    // answered the previous device from the cache, and no load may cache what it read (see
    // noWriteInFlight); the completion caches the written device.
    cache.putKeyOnly(k);
    CompletableFuture<Void> written;
    try {
      // A caller that waits for the write has it committed without the store's linger.
      written = awaited ? store.writeAsyncAwaited(batch, durability)
          : store.writeAsync(batch, durability);
    } catch (RuntimeException | Error e) {
      pending.remove(k, p);
      cache.invalidate(k);
      invalidateAddrs(indexedAddrs);
      tellListeners(k, null);
      throw e;
    }
    return written.handle((v, failure) -> {
      // Runs in submission order: inline if already complete, else on the store's commit thread.
      // The index first (success or failure: the store may or may not have applied it, the next
      // read rescans), as the store shows it, then the device.
      invalidateAddrs(indexedAddrs);
      boolean stored = failure == null && next != null;
      // Atomically with the submission of a newer write of the device (the map's lock for k): if
      // one is in flight, the store may already show it to readers, so this older device is not
      // cached (only its key); that write caches its own device when it completes.
      pending.compute(k, (key, latest) -> {
        if (!stored) {
          cache.invalidate(k);
        } else if (latest == p && fleetFits) {
          cache.put(k, next);
        } else {
          cache.putKeyOnly(k);
        }
        return latest == p ? null : latest;
      });
      tellListeners(k, stored ? next : null);
      if (failure != null) {
        throw failure instanceof CompletionException c ? c : new CompletionException(failure);
      }
      return next;
    });
  }

  @Override
  public void addWriteListener(EndDeviceWriteListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  private void tellListeners(String k, EndDevice stored) {
    for (EndDeviceWriteListener l : listeners) {
      try {
        l.written(k, stored);
      } catch (RuntimeException e) {
        LOG.warn("device write listener failed for {}: {}", k, e.toString());
      }
    }
  }

  /** Waits for {@code write}, rethrowing its failure as it was raised. */
  private static <T> T await(CompletableFuture<T> write) {
    try {
      return write.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new dev.loralab.identityserver.store.StoreException(
          "device write failed: " + cause, cause);
    }
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

  /** Whether {@code a} and {@code b} have the same {@link #euiKey}. */
  private static boolean sameEuis(EndDeviceIdentifiers a, EndDeviceIdentifiers b) {
    return a.getJoinEui().equals(b.getJoinEui()) && a.getDevEui().equals(b.getDevEui());
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
    // Shared: devices of one application are created concurrently; deleting the application
    // (exclusive) waits for the creates under way and then finds their devices.
    return locks.withSharedLock("application:" + appId, () -> {
      if (applications.get(appId).isEmpty()) {
        throw new EntityNotFoundException("application:" + appId);
      }
      return locks.withLock("device:" + k, () -> {
        if (current(k) != null) {
          throw new EntityAlreadyExistsException("device:" + k, "ID");
        }
        var now = Timestamps.of(clock.instant());
        EndDevice stored = valid.toBuilder().setCreatedAt(now).setUpdatedAt(now).build();
        return await(writeToStore(k, null, stored, Durability.DURABLE, true));
      });
    });
  }

  private static String devAddr(EndDevice d) {
    return d.hasSession() ? d.getSession().getDevAddr() : "";
  }

  private static String pendingDevAddr(EndDevice d) {
    return d.hasPendingSession() ? d.getPendingSession().getDevAddr() : "";
  }

  /**
   * Submits the write of {@code given} (without storage-only fields: {@code next}) with its index
   * entries moved from {@code previous}; under the device lock. The cache follows when the write
   * completes; if it fails, the cached device is dropped (the store may or may not have applied
   * it).
   */
  private CompletableFuture<EndDevice> writeToStore(String k, EndDevice previous,
      EndDevice given, Durability durability, boolean awaited) {
    EndDevice next = EndDeviceStorage.withoutStorageFields(given);
    // The DevAddr index changes only when a session starts, ends or changes address: an uplink's
    // frame counter update writes the device alone.
    boolean sameAddrs = previous != null
        && devAddr(previous).equals(devAddr(next))
        && pendingDevAddr(previous).equals(pendingDevAddr(next));
    // An uplink's update is merged into the stored device where it can be (EndDeviceMerge), on
    // top of a completed write only: previous is then what the store holds (the cache follows
    // completed writes), never a write that might still fail.
    ByteString merge = sameAddrs && fleetFits() && !pending.containsKey(k)
        ? EndDeviceMerge.between(k, previous, next) : null;
    Batch batch = merge != null ? new Batch().merge(devices.namespace(), k, merge)
        : new Batch().put(devices, k, next);
    Set<String> indexedAddrs = Set.of();
    if (!sameAddrs) {
      indexedAddrs = new TreeSet<>();
      Set<String> oldAddrs = previous == null ? Set.of() : devAddrs(previous);
      Set<String> newAddrs = devAddrs(next);
      for (String a : oldAddrs) {
        if (!newAddrs.contains(a)) {
          batch.delete(Namespaces.END_DEVICE_ADDRS, a + "/" + k);
          indexedAddrs.add(a);
        }
      }
      for (String a : newAddrs) {
        if (!oldAddrs.contains(a)) {
          batch.put(Namespaces.END_DEVICE_ADDRS, a + "/" + k, ByteString.EMPTY);
          indexedAddrs.add(a);
        }
      }
    }
    if (previous != null && sameEuis(previous.getIds(), next.getIds())) {
      // The usual update: the same EUI key, no index change (and no key strings built).
      return submit(k, next, batch, indexedAddrs, durability, awaited);
    }
    String oldEui = previous == null ? "" : euiKey(previous.getIds());
    String newEui = euiKey(next.getIds());
    if (oldEui.equals(newEui)) {
      return submit(k, next, batch, indexedAddrs, durability, awaited);
    }
    if (!oldEui.isEmpty()) {
      batch.delete(Namespaces.END_DEVICE_EUIS, oldEui);
    }
    if (newEui.isEmpty()) {
      return submit(k, next, batch, indexedAddrs, durability, awaited);
    }
    Set<String> finalIndexedAddrs = indexedAddrs;
    return locks.withLock("device-eui:" + newEui, () -> {
      Optional<ByteString> taken = store.get(Namespaces.END_DEVICE_EUIS, newEui);
      if (taken.isPresent() && !taken.get().toStringUtf8().equals(k)) {
        throw new EntityAlreadyExistsException("device:" + taken.get().toStringUtf8(),
            "JoinEUI/DevEUI " + newEui);
      }
      batch.put(Namespaces.END_DEVICE_EUIS, newEui, ByteString.copyFromUtf8(k));
      // Awaited here in any case: completed before the EUI's lock is released, so the next check
      // of this EUI reads it.
      CompletableFuture<EndDevice> written =
          submit(k, next, batch, finalIndexedAddrs, durability, true);
      await(written);
      return written;
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
    List<String> keys = addrCache.get(devAddr.toUpperCase(Locale.ROOT), loadAddr);
    if (keys.size() == 1) {
      // The usual case: one device per address.
      EndDevice d = read(keys.get(0));
      return d == null ? List.of() : List.of(d);
    }
    List<EndDevice> out = new ArrayList<>(keys.size());
    for (String k : keys) {
      EndDevice d = read(k);
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
    return await(locks.withLock("device:" + k, () -> submitUpdate(k, mutator, durability, true)));
  }

  @Override
  public CompletableFuture<EndDevice> updateAsync(EndDeviceIdentifiers ids,
      UnaryOperator<EndDevice> mutator, Durability durability) {
    String k = key(ids);
    try {
      return locks.withLock("device:" + k, () -> submitUpdate(k, mutator, durability, false));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<EndDevice> editAsync(EndDeviceIdentifiers ids,
      Consumer<EndDevice.Builder> edit, Durability durability) {
    String k = key(ids);
    try {
      return locks.withLock("device:" + k, () -> {
        EndDevice existing = existing(k);
        EndDevice.Builder b = EndDeviceCopies.builderOf(existing);
        edit.accept(b);
        return submitBuilt(k, existing, b, durability, false);
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The device as its last write left it (call under the device's lock). */
  private EndDevice existing(String k) {
    EndDevice existing = current(k);
    if (existing == null) {
      throw new EntityNotFoundException("device:" + k);
    }
    return existing;
  }

  /** Applies {@code mutator} to the device as its last write left it and submits the result. */
  private CompletableFuture<EndDevice> submitUpdate(String k, UnaryOperator<EndDevice> mutator,
      Durability durability, boolean awaited) {
    EndDevice existing = existing(k);
    return submitBuilt(k, existing, EndDeviceCopies.builderOf(mutator.apply(existing)),
        durability, awaited);
  }

  /**
   * Normalizes and validates the changed device {@code b} (from {@code existing}), sets its
   * timestamps, builds it and submits it.
   */
  private CompletableFuture<EndDevice> submitBuilt(String k, EndDevice existing,
      EndDevice.Builder b, Durability durability, boolean awaited) {
    EndDeviceIdentifiers was = existing.getIds();
    EndDeviceIdentifiers mids = b.getIds();
    String devEui = EntityValidation.optionalHex("end_device.ids.dev_eui", mids.getDevEui(), 16);
    String joinEui = EntityValidation.optionalHex("end_device.ids.join_eui", mids.getJoinEui(),
        16);
    boolean hasSession = b.hasSession();
    String sessionAddr = hasSession ? b.getSession().getDevAddr() : "";
    boolean hasPendingSession = b.hasPendingSession();
    String pendingSessionAddr = hasPendingSession ? b.getPendingSession().getDevAddr() : "";
    String addr = hasSession ? EntityValidation.hex("end_device.session.dev_addr",
        sessionAddr, 8) : "";
    String pendingAddr = hasPendingSession ? EntityValidation.hex(
        "end_device.pending_session.dev_addr", pendingSessionAddr, 8) : "";
    b.setCreatedAt(existing.getCreatedAt())
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
    if (hasSession && !sessionAddr.equals(addr)) {
      b.getSessionBuilder().setDevAddr(addr);
    }
    if (hasPendingSession && !pendingSessionAddr.equals(pendingAddr)) {
      b.getPendingSessionBuilder().setDevAddr(pendingAddr);
    }
    return writeToStore(k, existing, b.build(), durability, awaited);
  }

  @Override
  public boolean delete(EndDeviceIdentifiers ids) {
    String k = key(ids);
    CompletableFuture<EndDevice> deleted = locks.withLock("device:" + k, () -> {
      Optional<EndDevice> existing = Optional.ofNullable(current(k));
      if (existing.isEmpty()) {
        return null;
      }
      Batch batch = new Batch().delete(devices, k);
      Set<String> addrs = devAddrs(existing.get());
      for (String a : addrs) {
        batch.delete(Namespaces.END_DEVICE_ADDRS, a + "/" + k);
      }
      String ek = euiKey(existing.get().getIds());
      if (!ek.isEmpty()) {
        batch.delete(Namespaces.END_DEVICE_EUIS, ek);
      }
      return submit(k, null, batch, addrs, Durability.DURABLE, true);
    });
    if (deleted == null) {
      return false;
    }
    await(deleted);
    return true;
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
