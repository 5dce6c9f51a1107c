package dev.loralab.identityserver.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A set of puts, merges and deletes, possibly across namespaces, applied atomically by
 * {@link KeyValueStore#write(Batch, Durability)}: readers see all of them or none. Operations are
 * applied in the order they were added.
 */
public final class Batch {
  /**
   * One operation; {@code value} is null for a delete. A merge appends {@code value} to the
   * stored bytes.
   */
  record Operation(Namespace namespace, String key, ByteString value, boolean merge) {
    Operation {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(key, "key");
      if (merge) {
        Objects.requireNonNull(value, "value");
      }
    }

    boolean isDelete() {
      return value == null;
    }
  }

  private final List<Operation> operations = new ArrayList<>();

  /** Adds a put. */
  public Batch put(Namespace namespace, String key, ByteString value) {
    operations.add(new Operation(namespace, key, Objects.requireNonNull(value, "value"), false));
    return this;
  }

  /**
   * Adds a merge: {@code value} is appended to the bytes stored under {@code key} (stored as is
   * if there are none). For a protobuf message this merges: the stored message followed by the
   * encoding of another parses as {@code stored.toBuilder().mergeFrom(other)} (in protobuf's
   * encoding the last occurrence of a scalar field wins, sub-messages merge and repeated fields
   * concatenate).
   */
  public Batch merge(Namespace namespace, String key, ByteString value) {
    operations.add(new Operation(namespace, key, Objects.requireNonNull(value, "value"), true));
    return this;
  }

  /** Adds a put of a serialized protobuf message. */
  public Batch put(Namespace namespace, String key, Message value) {
    return put(namespace, key, value.toByteString());
  }

  /** Adds a put to a typed table (of the table's stored form). */
  public <M extends Message> Batch put(ProtoTable<M> table, String key, M value) {
    return put(table.namespace(), key, table.encode(value));
  }

  /** Adds a delete (of a key that may not exist). */
  public Batch delete(Namespace namespace, String key) {
    operations.add(new Operation(namespace, key, null, false));
    return this;
  }

  /** Adds a delete from a typed table. */
  public Batch delete(ProtoTable<?> table, String key) {
    return delete(table.namespace(), key);
  }

  /** Whether no operation was added. */
  public boolean isEmpty() {
    return operations.isEmpty();
  }

  /** The number of operations. */
  public int size() {
    return operations.size();
  }

  List<Operation> operations() {
    return List.copyOf(operations);
  }
}
