package dev.loralab.identityserver.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A typed view of one namespace whose values are protobuf messages of one type.
 *
 * @param <M> the message type
 */
public final class ProtoTable<M extends Message> {
  private final KeyValueStore store;
  private final Namespace namespace;
  private final Parser<M> parser;
  private final UnaryOperator<M> toStored;
  private final UnaryOperator<M> settle;

  /**
   * @param store the underlying store
   * @param namespace the namespace holding the messages
   * @param parser the message parser, e.g. {@code EndDevice.parser()}
   */
  public ProtoTable(KeyValueStore store, Namespace namespace, Parser<M> parser) {
    this(store, namespace, parser, UnaryOperator.identity(), UnaryOperator.identity());
  }

  /**
   * A table whose messages are stored in another form: {@code toStored} turns a message into the
   * form written (by {@link #put} and {@link Batch#put(ProtoTable, String, Message)}), and
   * {@code settle} turns a stored form, after parsing, into the message returned (also for stored
   * forms written otherwise, such as merged updates). A malformed stored form is reported as
   * corrupt, like a malformed message, when {@code settle} throws an {@link UncheckedIOException}
   * caused by an {@link InvalidProtocolBufferException}.
   */
  public ProtoTable(KeyValueStore store, Namespace namespace, Parser<M> parser,
      UnaryOperator<M> toStored, UnaryOperator<M> settle) {
    this.store = Objects.requireNonNull(store, "store");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.toStored = Objects.requireNonNull(toStored, "toStored");
    this.settle = Objects.requireNonNull(settle, "settle");
  }

  /** The bytes this table stores for {@code value} (its stored form, encoded). */
  public ByteString encode(M value) {
    return toStored.apply(value).toByteString();
  }

  /** The namespace of this table. */
  public Namespace namespace() {
    return namespace;
  }

  /** The underlying store. */
  public KeyValueStore store() {
    return store;
  }

  /**
   * The message under {@code key}, if any.
   *
   * @throws StoreException if the stored bytes do not parse (corruption) or on I/O errors
   */
  public Optional<M> get(String key) {
    return store.get(namespace, key).map(v -> parse(key, v));
  }

  /** Stores {@code value} under {@code key}. */
  public void put(String key, M value, Durability durability) {
    store.put(namespace, key, encode(value), durability);
  }

  /** Removes {@code key}; no-op if absent. */
  public void delete(String key, Durability durability) {
    store.delete(namespace, key, durability);
  }

  /** Every message whose key starts with {@code prefix}, in key order. */
  public List<M> scan(String prefix) {
    List<Entry> entries = store.scan(namespace, prefix);
    List<M> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(parse(e.key(), e.value()));
    }
    return out;
  }

  /** Every key that starts with {@code prefix}, in key order. */
  public List<String> keys(String prefix) {
    List<Entry> entries = store.scan(namespace, prefix);
    List<String> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(e.key());
    }
    return out;
  }

  private M parse(String key, ByteString value) {
    try {
      return settle.apply(parser.parseFrom(value));
    } catch (InvalidProtocolBufferException e) {
      throw corrupt(key, e);
    } catch (UncheckedIOException e) {
      // a settle function's own decoding failed (its stored form is malformed)
      if (e.getCause() instanceof InvalidProtocolBufferException cause) {
        throw corrupt(key, cause);
      }
      throw e;
    }
  }

  private StoreException corrupt(String key, InvalidProtocolBufferException e) {
    return new StoreException("corrupt value in " + namespace.name() + " at '" + key + "': "
        + e.getMessage(), e);
  }
}
