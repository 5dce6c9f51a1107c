package dev.loralab.identityserver.store;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;

/**
 * An ordered key-value store with namespaces, the storage under every registry. Keys are strings
 * (ordered by their UTF-8 bytes), values are immutable byte strings (in practice serialized
 * protobuf messages, see {@link ProtoTable}).
 *
 * <p>Implementations are thread-safe. Single operations are atomic; {@link #write(Batch,
 * Durability)} applies several atomically. There are no transactions: callers that read, modify
 * and write serialize per key themselves (see {@link KeyedLocks}). All operations may block on
 * disk I/O, so never call them on a Netty event loop.
 *
 * <p>Implementations: {@link RocksDbStore} (default, embedded, persistent) and {@link
 * InMemoryStore} (tests). A clustered backend (e.g. Redis) can implement this interface later.
 */
public interface KeyValueStore extends AutoCloseable {
  /**
   * The value under {@code key}, if any.
   *
   * @throws StoreException on an I/O error or if the store is closed
   */
  Optional<ByteString> get(Namespace namespace, String key);

  /**
   * Stores {@code value} under {@code key}, replacing any previous value.
   *
   * @throws StoreException on an I/O error or if the store is closed
   */
  void put(Namespace namespace, String key, ByteString value, Durability durability);

  /**
   * Removes {@code key}; no-op if absent.
   *
   * @throws StoreException on an I/O error or if the store is closed
   */
  void delete(Namespace namespace, String key, Durability durability);

  /**
   * Every entry whose key starts with {@code prefix}, in key order ({@code ""} scans the whole
   * namespace).
   *
   * @throws StoreException on an I/O error or if the store is closed
   */
  List<Entry> scan(Namespace namespace, String prefix);

  /**
   * Applies every operation of {@code batch} atomically.
   *
   * @throws StoreException on an I/O error or if the store is closed
   */
  void write(Batch batch, Durability durability);

  /** Releases the store (and, for persistent stores, the data directory lock). Idempotent. */
  @Override
  void close();
}
