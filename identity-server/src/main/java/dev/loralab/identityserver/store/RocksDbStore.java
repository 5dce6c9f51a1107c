package dev.loralab.identityserver.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The default {@link KeyValueStore}: an embedded RocksDB database in a directory, one column family
 * per {@link Namespace} (created on first use). {@link Durability#DURABLE} writes are acknowledged
 * only after the write-ahead log has been fsynced.
 *
 * <p>Only one store may have a directory open at a time; opening a directory in use fails with
 * {@link StoreLockedException}. Operations after {@link #close()} fail with {@link
 * StoreException} (never a native crash).
 */
public final class RocksDbStore implements KeyValueStore {
  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final WriteOptions durableWrites;
  private final WriteOptions bufferedWrites;
  private final RocksDB db;
  private final ColumnFamilyHandle defaultFamily;
  private final Map<String, ColumnFamilyHandle> families = new ConcurrentHashMap<>();
  // Guards the native handles: operations share, close is exclusive.
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lifecycle

  private RocksDbStore(Path directory, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
      RocksDB db, List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles) {
    this.directory = directory;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
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
  }

  /**
   * Opens (creating if needed) the database in {@code directory}.
   *
   * @throws StoreLockedException if another process or store holds the directory
   * @throws StoreException if the database cannot be opened
   */
  public static RocksDbStore open(Path directory) {
    Objects.requireNonNull(directory, "directory");
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
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
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
        // Durable writes of many threads are synced together (group commit); the threads that
        // wait for a group must sleep, not spin: by default RocksDB spin-yields up to 100 us per
        // waiting writer, which with dozens of writers on 2 cores burnt most of the CPU.
        .setEnableWriteThreadAdaptiveYield(false);
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      RocksDB db = RocksDB.open(dbOptions, path, descriptors, handles);
      return new RocksDbStore(directory, dbOptions, cfOptions, db, descriptors, handles);
    } catch (RocksDBException e) {
      dbOptions.close();
      cfOptions.close();
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

  private static byte[] bytes(String key) {
    return Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
  }

  private WriteOptions options(Durability durability) {
    return Objects.requireNonNull(durability, "durability") == Durability.DURABLE
        ? durableWrites : bufferedWrites;
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
    byte[] k = bytes(key);
    byte[] v = Objects.requireNonNull(value, "value").toByteArray();
    enter();
    try {
      db.put(family(namespace), options(durability), k, v);
    } catch (RocksDBException e) {
      throw failure("put", namespace, key, e);
    } finally {
      exit();
    }
  }

  @Override
  public void delete(Namespace namespace, String key, Durability durability) {
    byte[] k = bytes(key);
    enter();
    try {
      db.delete(family(namespace), options(durability), k);
    } catch (RocksDBException e) {
      throw failure("delete", namespace, key, e);
    } finally {
      exit();
    }
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
    List<Batch.Operation> ops = batch.operations();
    if (ops.isEmpty()) {
      return;
    }
    enter();
    try (org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch()) {
      for (Batch.Operation op : ops) {
        if (op.isDelete()) {
          wb.delete(family(op.namespace()), bytes(op.key()));
        } else {
          wb.put(family(op.namespace()), bytes(op.key()), op.value().toByteArray());
        }
      }
      db.write(options(durability), wb);
    } catch (RocksDBException e) {
      throw new StoreException("batch write of " + ops.size() + " operations to " + directory
          + " failed: " + e.getMessage(), e);
    } finally {
      exit();
    }
  }

  private StoreException failure(String op, Namespace ns, String key, RocksDBException e) {
    return new StoreException(op + " " + ns.name() + " '" + key + "' in " + directory
        + " failed: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
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
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
