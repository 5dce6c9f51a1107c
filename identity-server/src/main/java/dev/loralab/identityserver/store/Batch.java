package dev.loralab.identityserver.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A set of puts and deletes, possibly across namespaces, applied atomically by
 * {@link KeyValueStore#write(Batch, Durability)}: readers see all of them or none. Operations are
 * applied in the order they were added.
 */
public final class Batch {
  /** One operation; {@code value} is null for a delete. */
  record Operation(Namespace namespace, String key, ByteString value) {
    Operation {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(key, "key");
    }

    boolean isDelete() {
      return value == null;
    }
  }

  private final List<Operation> operations = new ArrayList<>();

  /** Adds a put. */
  public Batch put(Namespace namespace, String key, ByteString value) {
    operations.add(new Operation(namespace, key, Objects.requireNonNull(value, "value")));
    return this;
  }

  /** Adds a put of a serialized protobuf message. */
  public Batch put(Namespace namespace, String key, Message value) {
    return put(namespace, key, value.toByteString());
  }

  /** Adds a put to a typed table. */
  public <M extends Message> Batch put(ProtoTable<M> table, String key, M value) {
    return put(table.namespace(), key, value.toByteString());
  }

  /** Adds a delete (of a key that may not exist). */
  public Batch delete(Namespace namespace, String key) {
    operations.add(new Operation(namespace, key, null));
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
