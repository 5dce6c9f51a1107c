package dev.loralab.identityserver.store;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
   * Applies every operation of {@code batch} atomically. A merge ({@link Batch#merge}) appends its
   * bytes to the value stored under its key at that point of the batch (or stores them if there is
   * none); later reads and scans return the concatenation.
   *
   * @throws StoreException on an I/O error or if the store is closed
   */
  void write(Batch batch, Durability durability);

  /**
   * Applies every operation of {@code batch} atomically, without blocking the caller: the
   * returned future completes when the batch is applied (and, for {@link Durability#DURABLE}, on
   * stable storage), or fails with a {@link StoreException}. Writes are applied in the order their
   * calls returned, whether they were made by this method or by the blocking ones, so a caller that
   * serializes the writes of a key (see {@link KeyedLocks}) may submit the next write of that key
   * before the previous one has completed. Readers see a write only once it has completed.
   * Completion callbacks may run on a thread of the store: they must not block.
   *
   * <p>The default applies the batch with {@link #write} before returning.
   */
  default CompletableFuture<Void> writeAsync(Batch batch, Durability durability) {
    try {
      write(batch, durability);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
  /**
   * As {@link #writeAsync}, for a caller that waits for the write to complete (an API request, a
   * blocking registry call): a store that holds asynchronous writes back to commit them in larger
   * groups ({@link RocksDbStore}'s commit linger) commits this one without waiting for more writes,
   * as it does a blocking write. The default is {@link #writeAsync}.
   */
  default CompletableFuture<Void> writeAsyncAwaited(Batch batch, Durability durability) {
    return writeAsync(batch, durability);
  }


  /** Releases the store (and, for persistent stores, the data directory lock). Idempotent. */
  @Override
  void close();
}
