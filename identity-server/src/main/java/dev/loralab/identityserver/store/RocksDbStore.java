package dev.loralab.identityserver.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link KeyValueStore}: an embedded RocksDB database in a directory, one column family
 * per {@link Namespace} (created on first use). {@link Durability#DURABLE} writes are acknowledged
 * only after the write-ahead log has been fsynced.
 *
 * <p><b>Group commit.</b> Every write ({@link #writeAsync}, and the blocking {@link #write},
 * {@link #put} and {@link #delete}, which submit and wait) is queued for one committer thread,
 * {@value #COMMIT_THREAD_NAME}. The committer takes what is queued (at most {@link
 * Settings#maxGroupOperations()} operations per group, a single larger batch alone), applies it as
 * one RocksDB write batch in queue order, synced if any write of the group is durable, and then
 * completes the writes' futures <em>on the committer thread, in queue order</em>. So writes are
 * applied in the order their calls returned, a write is visible to readers only once it is on
 * stable storage (for a durable one), and one fsync serves every device with a write pending
 * instead of one blocked thread per write. Completion callbacks run on the committer: they must
 * not block, and a blocking write from one fails (it would wait for itself).
 *
 * <p><b>Commit linger.</b> Before committing a group with a durable write in it, the committer
 * waits until {@link Settings#groupTarget()} writes are pending or {@link Settings#commitLinger()}
 * has passed since the oldest of them was queued, whichever comes first (the write that reaches
 * the target wakes it; so does {@link #close()}). It trades up to one linger of latency for
 * fewer, larger groups, each one WAL write and one fsync. Only asynchronous writes ({@link
 * #writeAsync}) linger: a group with a blocking write ({@link #put}, {@link #delete}, {@link
 * #write}) in it, whose thread is held meanwhile, or with buffered writes only is committed at
 * once; a linger of zero disables the wait. {@link #commitStats()} counts groups and writes.
 *
 * <p>Only one store may have a directory open at a time; opening a directory in use fails with
 * {@link StoreLockedException}. Operations after {@link #close()} fail with {@link
 * StoreException} (never a native crash); writes still queued when it is called are applied first.
 */
public final class RocksDbStore implements KeyValueStore {
  static {
    RocksDB.loadLibrary();
  }

  /** The name of the committer thread. */
  public static final String COMMIT_THREAD_NAME = "loralab-store-commit";
  /** Bits per key of the tables' Bloom filters (~1 % false positives). */
  static final int BLOOM_BITS_PER_KEY = 10;
  /** The memtables' Bloom filters' size as a fraction of the memtable size (RocksDB's suggestion). */
  static final double MEMTABLE_BLOOM_SIZE_RATIO = 0.1;

  private static final Logger LOG = LoggerFactory.getLogger(RocksDbStore.class);

  /**
   * Configuration of a store.
   *
   * @param maxGroupOperations the most operations the committer merges into one RocksDB write (a
   *     batch with more is written alone); bounds the memory and latency of one group
   * @param commitLinger how long, at most since the oldest pending write was queued, the committer
   *     waits for more writes before committing a group with a durable write in it ({@link
   *     Duration#ZERO}: commit at once)
   * @param groupTarget how many pending writes end the linger at once
   * @param blockCacheBytes the most bytes of the block cache shared by the column families
   *     (native memory, not the heap; filled as blocks are read, so a small database never takes
   *     it all)
   */
  public record Settings(int maxGroupOperations, Duration commitLinger, int groupTarget,
      long blockCacheBytes) {
    /** The default {@link #maxGroupOperations()}. */
    public static final int DEFAULT_MAX_GROUP_OPERATIONS = 4096;
    /**
     * The default {@link #commitLinger()}: 1 ms (StoreCommitBenchmark, 8 lanes at 12 000 writes/s:
     * groups of ~16 instead of ~4-11, committer CPU per write roughly halved).
     */
    public static final Duration DEFAULT_COMMIT_LINGER = Duration.ofMillis(1);
    /** The default {@link #groupTarget()}. */
    public static final int DEFAULT_GROUP_TARGET = 64;
    /**
     * The default {@link #blockCacheBytes()}: 512 MiB, about the stored devices of a million
     * (BENCHMARKS.md, round 13: at 1M devices with 64 MiB, reading table blocks and decompressing
     * them was ~6 % of the CPU).
     */
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 512L << 20;

    /**
     * @throws IllegalArgumentException if {@code maxGroupOperations}, {@code groupTarget} or
     *     {@code blockCacheBytes} is not positive or {@code commitLinger} is negative
     */
    public Settings {
      if (maxGroupOperations < 1) {
        throw new IllegalArgumentException(
            "maxGroupOperations: expected >= 1, found " + maxGroupOperations);
      }
      Objects.requireNonNull(commitLinger, "commitLinger");
      if (commitLinger.isNegative()) {
        throw new IllegalArgumentException(
            "commitLinger: expected >= 0, found " + commitLinger);
      }
      if (groupTarget < 1) {
        throw new IllegalArgumentException("groupTarget: expected >= 1, found " + groupTarget);
      }
      if (blockCacheBytes < 1) {
        throw new IllegalArgumentException(
            "blockCacheBytes: expected >= 1, found " + blockCacheBytes);
      }
    }

    /** The given group settings with the default block cache. */
    public Settings(int maxGroupOperations, Duration commitLinger, int groupTarget) {
      this(maxGroupOperations, commitLinger, groupTarget, DEFAULT_BLOCK_CACHE_BYTES);
    }

    /** The given group limit with the default linger and group target. */
    public Settings(int maxGroupOperations) {
      this(maxGroupOperations, DEFAULT_COMMIT_LINGER, DEFAULT_GROUP_TARGET);
    }

    /** The defaults. */
    public static Settings defaults() {
      return new Settings(DEFAULT_MAX_GROUP_OPERATIONS);
    }

    /** These settings with another linger and group target. */
    public Settings withCommitLinger(Duration linger, int target) {
      return new Settings(maxGroupOperations, linger, target, blockCacheBytes);
    }

    /** These settings with another block cache size. */
    public Settings withBlockCacheBytes(long bytes) {
      return new Settings(maxGroupOperations, commitLinger, groupTarget, bytes);
    }

    long commitLingerNanos() {
      try {
        return commitLinger.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE; // centuries: "until the target or close"
      }
    }
  }

  /**
   * Counters of the committer since the store was opened, for metrics.
   *
   * @param groups groups committed (each one RocksDB write, or one per write if it failed)
   * @param syncedGroups groups with a durable write in them (each one WAL fsync)
   * @param writes writes ({@link #writeAsync} calls and blocking writes) in those groups
   */
  public record CommitStats(long groups, long syncedGroups, long writes) {
    /** Validates that no count is negative and at most every group was synced. */
    public CommitStats {
      if (groups < 0 || syncedGroups < 0 || writes < 0 || syncedGroups > groups) {
        throw new IllegalArgumentException("commit stats: expected 0 <= syncedGroups <= groups"
            + " and writes >= 0, found groups " + groups + ", syncedGroups " + syncedGroups
            + ", writes " + writes);
      }
    }
  }

  private final Path directory;
  private final int maxGroupOperations;
  private final long lingerNanos;
  private final int groupTarget;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final LRUCache blockCache;
  private final BloomFilter bloomFilter;
  /** Every column family's merge operator: concatenation ({@link Batch#merge}). */
  private final StringAppendOperator concatenation;
  private final WriteOptions durableWrites; // committer only
  private final WriteOptions bufferedWrites; // committer only
  private final RocksDB db;
  private final ColumnFamilyHandle defaultFamily;
  private final Map<String, ColumnFamilyHandle> families = new ConcurrentHashMap<>();
  private final BlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
  private final Thread committer;
  // Guards the native handles and admission of writes: operations and submissions share, close
  // is exclusive (briefly, to stop admissions, and again to release the handles).
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closing; // guarded by lifecycle: no more writes admitted
  private boolean closed; // guarded by lifecycle: native handles released
  private volatile boolean closeOnStop; // close() was called by the committer itself
  // While the committer lingers: how many queued writes wake it (Integer.MAX_VALUE otherwise).
  private volatile int wakeAtQueued = Integer.MAX_VALUE;
  // Blocking writes queued and not yet taken into a group (only counted if the store lingers).
  private final AtomicInteger blockingQueued = new AtomicInteger();
  // Written by the committer only; syncedGroups before groups is read first (see commitStats).
  private volatile long groups;
  private volatile long syncedGroups;
  private volatile long committedWrites;

  private RocksDbStore(Path directory, Settings settings, DBOptions dbOptions,
      ColumnFamilyOptions cfOptions, LRUCache blockCache, BloomFilter bloomFilter,
      StringAppendOperator concatenation, RocksDB db,
      List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles) {
    this.directory = directory;
    this.maxGroupOperations = settings.maxGroupOperations();
    this.lingerNanos = settings.commitLingerNanos();
    this.groupTarget = settings.groupTarget();
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.blockCache = blockCache;
    this.bloomFilter = bloomFilter;
    this.concatenation = concatenation;
    this.db = db;
    this.durableWrites = new WriteOptions().setSync(true);
    this.bufferedWrites = new WriteOptions().setSync(false);
    ColumnFamilyHandle dflt = null;
    for (int i = 0; i < descriptors.size(); i++) {
      String name = new String(descriptors.get(i).getName(), StandardCharsets.UTF_8);
      if (Arrays.equals(descriptors.get(i).getName(), RocksDB.DEFAULT_COLUMN_FAMILY)) {
        dflt = handles.get(i);
      } else {
        families.put(name, handles.get(i));
      }
    }
    this.defaultFamily = dflt;
    this.committer = new Thread(this::commitLoop, COMMIT_THREAD_NAME);
    this.committer.setDaemon(true);
  }

  /**
   * Opens (creating if needed) the database in {@code directory} with the {@linkplain
   * Settings#defaults() default settings}.
   *
   * @throws StoreLockedException if another process or store holds the directory
   * @throws StoreException if the database cannot be opened
   */
  public static RocksDbStore open(Path directory) {
    return open(directory, Settings.defaults());
  }

  /**
   * Opens (creating if needed) the database in {@code directory}.
   *
   * @throws StoreLockedException if another process or store holds the directory
   * @throws StoreException if the database cannot be opened
   */
  public static RocksDbStore open(Path directory, Settings settings) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(settings, "settings");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StoreException("cannot create database directory " + directory + ": " + e, e);
    }
    String path = directory.toAbsolutePath().toString();
    List<byte[]> existing;
    try (Options options = new Options()) {
      existing = RocksDB.listColumnFamilies(options, path);
    } catch (RocksDBException e) {
      existing = List.of(); // no database yet
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    // An empty delimiter: a merge operand is appended to the value as it is (Batch.merge).
    StringAppendOperator concatenation = new StringAppendOperator("");
    // Point reads (a device per uplink when the fleet outgrows the caches above the store): a
    // Bloom filter per table file, so a read opens only the files that may hold its key; a block
    // cache shared by the column families; LZ4, cheaper to decompress than Snappy. A Bloom filter
    // of whole keys in each memtable too: a read of a device not written in the last seconds
    // (most reads of a large fleet) skips the memtables' skiplists.
    LRUCache blockCache = new LRUCache(settings.blockCacheBytes());
    BloomFilter bloomFilter = new BloomFilter(BLOOM_BITS_PER_KEY);
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setMergeOperator(concatenation)
        .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_SIZE_RATIO)
        .setMemtableWholeKeyFiltering(true)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setTableFormatConfig(new BlockBasedTableConfig()
            .setFilterPolicy(bloomFilter)
            .setBlockCache(blockCache));
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (byte[] name : existing) {
      if (!Arrays.equals(name, RocksDB.DEFAULT_COLUMN_FAMILY)) {
        descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
      }
    }
    DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(2)
        // Writes come from the one committer thread, so RocksDB's own writer groups stay empty;
        // should another writer ever appear, it must sleep, not spin: by default RocksDB
        // spin-yields up to 100 us per waiting writer, which on 2 cores burnt most of the CPU.
        .setEnableWriteThreadAdaptiveYield(false);
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      RocksDB db = RocksDB.open(dbOptions, path, descriptors, handles);
      RocksDbStore store =
          new RocksDbStore(directory, settings, dbOptions, cfOptions, blockCache, bloomFilter,
              concatenation, db, descriptors, handles);
      store.committer.start();
      return store;
    } catch (RocksDBException e) {
      dbOptions.close();
      cfOptions.close();
      bloomFilter.close();
      blockCache.close();
      concatenation.close();
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("lock") || msg.contains("LOCK")) {
        throw new StoreLockedException(directory, e);
      }
      throw new StoreException("cannot open database " + directory + ": " + msg, e);
    }
  }

  /** The database directory. */
  public Path directory() {
    return directory;
  }

  /**
   * The capacity of the block cache in bytes, as RocksDB reports it (for tests).
   *
   * @throws StoreException if the store is closed
   */
  public long blockCacheCapacity() {
    enter();
    try {
      return db.getLongProperty("rocksdb.block-cache-capacity");
    } catch (RocksDBException e) {
      throw new StoreException("block cache capacity: " + e.getMessage(), e);
    } finally {
      exit();
    }
  }

  /** The committer's counters so far (cheap: three volatile reads). */
  public CommitStats commitStats() {
    long synced = syncedGroups; // the committer counts groups first, so synced <= groups
    long g = groups;
    return new CommitStats(g, synced, committedWrites);
  }

  private ColumnFamilyHandle family(Namespace namespace) {
    Objects.requireNonNull(namespace, "namespace");
    ColumnFamilyHandle h = families.get(namespace.name());
    if (h != null) {
      return h;
    }
    return families.computeIfAbsent(namespace.name(), n -> {
      try {
        return db.createColumnFamily(
            new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8), cfOptions));
      } catch (RocksDBException e) {
        throw new StoreException("cannot create namespace " + n + ": " + e.getMessage(), e);
      }
    });
  }

  private void enter() {
    lifecycle.readLock().lock();
    if (closed) {
      lifecycle.readLock().unlock();
      throw new StoreException("store " + directory + " is closed");
    }
  }

  private void exit() {
    lifecycle.readLock().unlock();
  }

  /**
   * The bytes of {@code value} for RocksDB, which copies them into its write batch and never
   * writes to them: the array {@code value} wraps if it wraps one whole array (a serialized message,
   * the usual value; no copy), else a copy.
   */
  static byte[] valueBytes(ByteString value) {
    WholeArray out = new WholeArray(value.size());
    try {
      UnsafeByteOperations.unsafeWriteTo(value, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // WholeArray never throws
    }
    return out.array != null ? out.array : value.toByteArray();
  }

  /** Captures the one array a ByteString hands over whole; any other write spoils the capture. */
  private static final class WholeArray extends com.google.protobuf.ByteOutput {
    private final int size;
    private boolean spoilt;
    byte[] array;

    WholeArray(int size) {
      this.size = size;
    }

    private void spoil() {
      spoilt = true;
      array = null;
    }

    @Override
    public void write(byte value) {
      spoil();
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      spoil();
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      if (!spoilt && array == null && offset == 0 && length == size && value.length == size) {
        array = value;
      } else {
        spoil();
      }
    }

    @Override
    public void write(java.nio.ByteBuffer value) {
      spoil();
    }

    @Override
    public void writeLazy(java.nio.ByteBuffer value) {
      spoil();
    }
  }

  private static byte[] bytes(String key) {
    return Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Optional<ByteString> get(Namespace namespace, String key) {
    byte[] k = bytes(key);
    enter();
    try {
      byte[] v = db.get(family(namespace), k);
      return v == null ? Optional.empty() : Optional.of(UnsafeByteOperations.unsafeWrap(v));
    } catch (RocksDBException e) {
      throw failure("get", namespace, key, e);
    } finally {
      exit();
    }
  }

  @Override
  public void put(Namespace namespace, String key, ByteString value, Durability durability) {
    Objects.requireNonNull(namespace, "namespace");
    byte[] k = bytes(key);
    byte[] v = valueBytes(Objects.requireNonNull(value, "value"));
    Objects.requireNonNull(durability, "durability");
    refuseOnCommitter();
    await(submit(List.of(new WriteOp(namespace, k, v, false)), durability, true));
  }

  @Override
  public void delete(Namespace namespace, String key, Durability durability) {
    Objects.requireNonNull(namespace, "namespace");
    byte[] k = bytes(key);
    Objects.requireNonNull(durability, "durability");
    refuseOnCommitter();
    await(submit(List.of(new WriteOp(namespace, k, null, false)), durability, true));
  }

  @Override
  public List<Entry> scan(Namespace namespace, String prefix) {
    byte[] p = bytes(prefix);
    enter();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(family(namespace), ro)) {
      List<Entry> out = new ArrayList<>();
      if (p.length == 0) {
        it.seekToFirst();
      } else {
        it.seek(p);
      }
      for (; it.isValid(); it.next()) {
        byte[] k = it.key();
        if (!startsWith(k, p)) {
          break;
        }
        out.add(new Entry(new String(k, StandardCharsets.UTF_8),
            UnsafeByteOperations.unsafeWrap(it.value())));
      }
      it.status();
      return out;
    } catch (RocksDBException e) {
      throw failure("scan", namespace, prefix, e);
    } finally {
      exit();
    }
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public void write(Batch batch, Durability durability) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(durability, "durability");
    if (batch.isEmpty()) {
      return;
    }
    refuseOnCommitter();
    await(enqueue(batch, durability, true));
  }

  /**
   * Queues {@code batch} for the committer and returns at once. The future completes, on the
   * committer thread and in the order the writes were queued, once the batch is applied (and, for
   * {@link Durability#DURABLE}, synced); it fails with a {@link StoreException} if the write
   * failed or the store is closed. An empty batch completes at once.
   */
  @Override
  public CompletableFuture<Void> writeAsync(Batch batch, Durability durability) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(durability, "durability");
    return enqueue(batch, durability, false);
  }

  /**
   * As {@link #writeAsync}, but the write never lingers and ends the linger of the asynchronous
   * writes queued before it, as a blocking write does: its caller waits for it.
   */
  @Override
  public CompletableFuture<Void> writeAsyncAwaited(Batch batch, Durability durability) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(durability, "durability");
    return enqueue(batch, durability, true);
  }

  private CompletableFuture<Void> enqueue(Batch batch, Durability durability, boolean blocking) {
    List<Batch.Operation> ops = batch.operations();
    if (ops.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<WriteOp> encoded = new ArrayList<>(ops.size());
    for (Batch.Operation op : ops) {
      encoded.add(new WriteOp(op.namespace(), bytes(op.key()),
          op.isDelete() ? null : valueBytes(op.value()), op.merge()));
    }
    return submit(encoded, durability, blocking);
  }

  private CompletableFuture<Void> submit(List<WriteOp> ops, Durability durability,
      boolean blocking) {
    PendingWrite write = new PendingWrite(ops, durability == Durability.DURABLE, blocking,
        lingerNanos > 0 ? System.nanoTime() : 0L);
    lifecycle.readLock().lock();
    try {
      if (closing) {
        return CompletableFuture.failedFuture(
            new StoreException("store " + directory + " is closed"));
      }
      if (lingerNanos > 0 && blocking) {
        blockingQueued.incrementAndGet(); // before the add: never below the blocking writes queued
      }
      queue.add(write);
      // Pairs with linger(): it publishes wakeAtQueued, then reads the queue size and
      // blockingQueued; so either it sees this write or this sees it lingering.
      if (lingerNanos > 0) {
        int wakeAt = wakeAtQueued;
        if (wakeAt != Integer.MAX_VALUE && (blocking || queue.size() >= wakeAt)) {
          LockSupport.unpark(committer);
        }
      }
    } finally {
      lifecycle.readLock().unlock();
    }
    return write.future;
  }

  // A blocking write from a completion callback would wait for the thread that must complete it.
  private void refuseOnCommitter() {
    if (Thread.currentThread() == committer) {
      throw new StoreException("blocking write to " + directory + " on its commit thread (from"
          + " a completion callback) would wait for itself; use writeAsync");
    }
  }

  private void await(CompletableFuture<Void> future) {
    try {
      future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      // A new exception, so that the stack trace shows the caller; the committer's is the cause.
      throw new StoreException(
          cause instanceof StoreException ? cause.getMessage() : "write failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a write to " + directory
          + " (it may still be applied)", e);
    }
  }

  private StoreException failure(String op, Namespace ns, String key, RocksDBException e) {
    return new StoreException(op + " " + ns.name() + " '" + key + "' in " + directory
        + " failed: " + e.getMessage(), e);
  }

  // ---- committer thread ----

  private void commitLoop() {
    ArrayDeque<PendingWrite> backlog = new ArrayDeque<>();
    List<PendingWrite> group = new ArrayList<>();
    boolean stop = false;
    try {
      while (!stop) {
        if (backlog.isEmpty()) {
          try {
            backlog.add(queue.take());
          } catch (InterruptedException e) {
            continue; // nobody else owns this thread; close() stops it with STOP
          }
          queue.drainTo(backlog);
        }
        if (lingerNanos > 0) {
          linger(backlog);
        }
        int operations = 0;
        while (!backlog.isEmpty()) {
          PendingWrite next = backlog.peekFirst();
          if (next == PendingWrite.STOP) {
            backlog.pollFirst();
            stop = true; // close() admits nothing after STOP
            break;
          }
          if (!group.isEmpty() && operations + next.ops.size() > maxGroupOperations) {
            break;
          }
          group.add(backlog.pollFirst());
          operations += next.ops.size();
          if (next.blocking && lingerNanos > 0) {
            blockingQueued.decrementAndGet();
          }
        }
        if (!group.isEmpty()) {
          commitGroup(group);
          group.clear();
        }
      }
    } finally {
      if (!stop) {
        // Unreachable unless the loop itself failed: refuse new writes, fail the queued ones.
        lifecycle.writeLock().lock();
        try {
          closing = true;
        } finally {
          lifecycle.writeLock().unlock();
        }
        failAll(backlog, "its commit thread stopped unexpectedly");
        failQueued("its commit thread stopped unexpectedly");
      }
    }
    if (closeOnStop) {
      try {
        closeNatives();
      } catch (RuntimeException e) {
        LOG.warn("closing {} from its commit thread failed", directory, e);
      }
    }
  }

  // Waits, while the backlog holds a durable write, for groupTarget writes in all or the linger
  // since the oldest was queued, moving what arrives into the backlog. Ends at once on STOP or a
  // blocking write (its thread is held: waiting longer would only cost the caller throughput).
  private void linger(ArrayDeque<PendingWrite> backlog) {
    PendingWrite oldest = backlog.peekFirst();
    if (oldest == null || oldest == PendingWrite.STOP) {
      return;
    }
    while (true) {
      int writes = 0;
      int operations = 0;
      boolean durable = false;
      for (PendingWrite w : backlog) {
        if (w == PendingWrite.STOP) {
          return;
        }
        writes++;
        operations += w.ops.size();
        durable |= w.durable;
        if (writes >= groupTarget || operations >= maxGroupOperations || w.blocking) {
          return;
        }
      }
      if (!durable) {
        return;
      }
      long waited = System.nanoTime() - oldest.queuedAt;
      if (waited >= lingerNanos) {
        return;
      }
      int needed = groupTarget - writes;
      wakeAtQueued = needed;
      try {
        if (queue.size() < needed && blockingQueued.get() == 0) {
          LockSupport.parkNanos(this, lingerNanos - waited);
          Thread.interrupted(); // nobody else owns this thread; close() stops it with STOP
        }
      } finally {
        wakeAtQueued = Integer.MAX_VALUE;
      }
      queue.drainTo(backlog);
    }
  }

  private void commitGroup(List<PendingWrite> group) {
    boolean durable = false;
    for (PendingWrite w : group) {
      durable |= w.durable;
    }
    groups++; // the committer is the only writer of the counters
    if (durable) {
      syncedGroups++;
    }
    committedWrites += group.size();
    try {
      writeGroup(group);
    } catch (Throwable t) {
      LOG.warn("group commit of {} writes to {} failed", group.size(), directory, t);
      for (PendingWrite w : group) {
        if (w.failure == null) {
          w.failure = new StoreException("group commit of " + group.size() + " writes to "
              + directory + " failed: " + t, t);
        }
      }
    }
    for (PendingWrite w : group) {
      try {
        if (w.failure == null) {
          w.future.complete(null);
        } else {
          w.future.completeExceptionally(w.failure);
        }
      } catch (Throwable t) {
        LOG.warn("completion callback of a write to {} failed", directory, t);
      }
    }
  }

  // Sets PendingWrite.failure of every write that failed; completion is the caller's.
  private void writeGroup(List<PendingWrite> group) {
    boolean sync = false;
    int members = 0;
    try (org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch()) {
      for (PendingWrite w : group) {
        ColumnFamilyHandle[] handles;
        try {
          handles = familiesOf(w);
        } catch (StoreException e) {
          w.failure = e; // only this write: it cannot even be expressed
          continue;
        }
        append(wb, w, handles);
        members++;
        sync |= w.durable;
      }
      if (members > 0) {
        db.write(sync ? durableWrites : bufferedWrites, wb);
      }
      return;
    } catch (RocksDBException e) {
      // Nothing of the merged batch was applied (RocksDB applies a batch atomically): retry each
      // write alone, so that one bad write fails only itself.
      LOG.debug("group write of {} writes to {} failed, retrying one by one: {}",
          group.size(), directory, e.getMessage());
    }
    for (PendingWrite w : group) {
      if (w.failure != null) {
        continue;
      }
      try (org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch()) {
        append(wb, w, familiesOf(w));
        db.write(w.durable ? durableWrites : bufferedWrites, wb);
      } catch (RocksDBException e) {
        w.failure = batchFailure(w, e);
      } catch (StoreException e) {
        w.failure = e;
      }
    }
  }

  private ColumnFamilyHandle[] familiesOf(PendingWrite w) {
    ColumnFamilyHandle[] handles = new ColumnFamilyHandle[w.ops.size()];
    for (int i = 0; i < handles.length; i++) {
      handles[i] = family(w.ops.get(i).namespace);
    }
    return handles;
  }

  private static void append(org.rocksdb.WriteBatch wb, PendingWrite w,
      ColumnFamilyHandle[] handles) throws RocksDBException {
    for (int i = 0; i < handles.length; i++) {
      WriteOp op = w.ops.get(i);
      if (op.value == null) {
        wb.delete(handles[i], op.key);
      } else if (op.merge) {
        wb.merge(handles[i], op.key, op.value);
      } else {
        wb.put(handles[i], op.key, op.value);
      }
    }
  }

  private StoreException batchFailure(PendingWrite w, RocksDBException e) {
    return new StoreException("batch write of " + w.ops.size() + " operations to " + directory
        + " failed: " + e.getMessage(), e);
  }

  private void failAll(Iterable<PendingWrite> writes, String why) {
    for (PendingWrite w : writes) {
      if (w != PendingWrite.STOP) {
        w.future.completeExceptionally(
            new StoreException("write to " + directory + " not applied: " + why));
      }
    }
  }

  private void failQueued(String why) {
    List<PendingWrite> left = new ArrayList<>();
    queue.drainTo(left);
    failAll(left, why);
  }

  // ---- close ----

  /**
   * Stops admitting writes, waits until the committer has applied (or failed) every write queued
   * before, then releases the database. Idempotent; a concurrent second call waits too. Called
   * from a completion callback (on the committer), it returns at once and the committer releases
   * the database once it has finished the queued writes.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closing) {
        closing = true;
        closeOnStop = Thread.currentThread() == committer;
        queue.add(PendingWrite.STOP);
        LockSupport.unpark(committer); // ends a linger
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
    if (Thread.currentThread() == committer) {
      return;
    }
    boolean interrupted = false;
    while (committer.isAlive()) {
      try {
        committer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!closeOnStop) {
      closeNatives();
    }
  }

  private void closeNatives() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      failQueued("the store was closed"); // only if the committer died: it drains up to STOP
      try {
        db.syncWal();
      } catch (RocksDBException e) {
        // best effort: durable writes were already synced
      }
      for (ColumnFamilyHandle h : families.values()) {
        h.close();
      }
      if (defaultFamily != null) {
        defaultFamily.close();
      }
      try {
        db.closeE();
      } catch (RocksDBException e) {
        throw new StoreException("closing database " + directory + " failed: " + e.getMessage(), e);
      } finally {
        durableWrites.close();
        bufferedWrites.close();
        dbOptions.close();
        cfOptions.close();
        bloomFilter.close();
        blockCache.close();
        concatenation.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** One put ({@code value} non-null) or delete, encoded by the submitting thread. */
  private static final class WriteOp {
    final Namespace namespace;
    final byte[] key;
    final byte[] value;
    /** Appends {@link #value} to the stored value instead of replacing it. */
    final boolean merge;

    WriteOp(Namespace namespace, byte[] key, byte[] value, boolean merge) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      this.key = key;
      this.value = value;
      this.merge = merge;
    }
  }

  /** A queued batch; {@link #failure} is written and read by the committer only. */
  private static final class PendingWrite {
    static final PendingWrite STOP = new PendingWrite(List.of(), false, false, 0L);

    final List<WriteOp> ops;
    final boolean durable;
    final boolean blocking; // a thread waits for it (put, delete, write): never lingers
    final long queuedAt; // System.nanoTime() when submitted, if the store lingers
    final CompletableFuture<Void> future = new CompletableFuture<>();
    StoreException failure;

    PendingWrite(List<WriteOp> ops, boolean durable, boolean blocking, long queuedAt) {
      this.ops = ops;
      this.durable = durable;
      this.blocking = blocking;
      this.queuedAt = queuedAt;
    }
  }
}
