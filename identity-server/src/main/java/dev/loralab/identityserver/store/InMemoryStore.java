package dev.loralab.identityserver.store;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A non-persistent {@link KeyValueStore} for tests and demos. Durability is ignored. Batches are
 * atomic with respect to every other operation of this store.
 */
public final class InMemoryStore implements KeyValueStore {
  private final Map<Namespace, ConcurrentSkipListMap<String, ByteString>> namespaces =
      new ConcurrentHashMap<>();
  // Readers and single writes share; batches are exclusive so that they appear atomic.
  private final ReadWriteLock batchLock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private ConcurrentSkipListMap<String, ByteString> ns(Namespace namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (closed) {
      throw new StoreException("store is closed");
    }
    return namespaces.computeIfAbsent(namespace, n -> new ConcurrentSkipListMap<>());
  }

  @Override
  public Optional<ByteString> get(Namespace namespace, String key) {
    Objects.requireNonNull(key, "key");
    batchLock.readLock().lock();
    try {
      return Optional.ofNullable(ns(namespace).get(key));
    } finally {
      batchLock.readLock().unlock();
    }
  }

  @Override
  public void put(Namespace namespace, String key, ByteString value, Durability durability) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    batchLock.readLock().lock();
    try {
      ns(namespace).put(key, value);
    } finally {
      batchLock.readLock().unlock();
    }
  }

  @Override
  public void delete(Namespace namespace, String key, Durability durability) {
    Objects.requireNonNull(key, "key");
    batchLock.readLock().lock();
    try {
      ns(namespace).remove(key);
    } finally {
      batchLock.readLock().unlock();
    }
  }

  @Override
  public List<Entry> scan(Namespace namespace, String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    batchLock.readLock().lock();
    try {
      List<Entry> out = new ArrayList<>();
      for (Map.Entry<String, ByteString> e : ns(namespace).tailMap(prefix, true).entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          break;
        }
        out.add(new Entry(e.getKey(), e.getValue()));
      }
      return out;
    } finally {
      batchLock.readLock().unlock();
    }
  }

  @Override
  public void write(Batch batch, Durability durability) {
    batchLock.writeLock().lock();
    try {
      for (Batch.Operation op : batch.operations()) {
        if (op.isDelete()) {
          ns(op.namespace()).remove(op.key());
        } else if (op.merge()) {
          ns(op.namespace()).merge(op.key(), op.value(), ByteString::concat);
        } else {
          ns(op.namespace()).put(op.key(), op.value());
        }
      }
    } finally {
      batchLock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
