package dev.loralab.identityserver.store;

class InMemoryStoreTest extends KeyValueStoreContract {
  @Override
  KeyValueStore newStore() {
    return new InMemoryStore();
  }
}
