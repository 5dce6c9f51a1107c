package dev.loralab.identityserver.internal;

import com.google.protobuf.ByteString;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.Entry;
import dev.loralab.identityserver.store.InMemoryStore;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.Namespace;
import java.util.List;
import java.util.Optional;

/**
 * A test store that passes every call to an in-memory store; tests override the calls they
 * count, record, hold back or fail.
 */
abstract class ForwardingStore implements KeyValueStore {
  final KeyValueStore inner = new InMemoryStore();

  @Override
  public Optional<ByteString> get(Namespace namespace, String key) {
    return inner.get(namespace, key);
  }

  @Override
  public void put(Namespace namespace, String key, ByteString value, Durability durability) {
    inner.put(namespace, key, value, durability);
  }

  @Override
  public void delete(Namespace namespace, String key, Durability durability) {
    inner.delete(namespace, key, durability);
  }

  @Override
  public List<Entry> scan(Namespace namespace, String prefix) {
    return inner.scan(namespace, prefix);
  }

  @Override
  public void write(Batch batch, Durability durability) {
    inner.write(batch, durability);
  }

  @Override
  public void close() {
    inner.close();
  }
}
