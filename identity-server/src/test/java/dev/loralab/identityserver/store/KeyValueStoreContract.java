package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link KeyValueStore} must have. */
abstract class KeyValueStoreContract {
  static final Namespace A = Namespace.of("a");
  static final Namespace B = Namespace.of("b");

  KeyValueStore store;

  abstract KeyValueStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void putGetDelete() {
    assertThat(store.get(A, "k")).isEmpty();
    store.put(A, "k", bs("v1"), Durability.DURABLE);
    assertThat(store.get(A, "k")).contains(bs("v1"));
    store.put(A, "k", bs("v2"), Durability.BUFFERED);
    assertThat(store.get(A, "k")).contains(bs("v2"));
    store.delete(A, "k", Durability.DURABLE);
    assertThat(store.get(A, "k")).isEmpty();
    store.delete(A, "absent", Durability.DURABLE);
  }

  @Test
  void namespacesAreSeparate() {
    store.put(A, "k", bs("a"), Durability.DURABLE);
    store.put(B, "k", bs("b"), Durability.DURABLE);
    assertThat(store.get(A, "k")).contains(bs("a"));
    assertThat(store.get(B, "k")).contains(bs("b"));
    assertThat(store.scan(B, "")).containsExactly(new Entry("k", bs("b")));
  }

  @Test
  void scanReturnsPrefixInKeyOrder() {
    store.put(A, "app1/dev2", bs("2"), Durability.DURABLE);
    store.put(A, "app1/dev1", bs("1"), Durability.DURABLE);
    store.put(A, "app10/dev1", bs("x"), Durability.DURABLE);
    store.put(A, "app0/dev1", bs("y"), Durability.DURABLE);
    assertThat(store.scan(A, "app1/"))
        .containsExactly(new Entry("app1/dev1", bs("1")), new Entry("app1/dev2", bs("2")));
    assertThat(store.scan(A, "")).extracting(Entry::key)
        .containsExactly("app0/dev1", "app1/dev1", "app1/dev2", "app10/dev1");
    assertThat(store.scan(A, "zzz")).isEmpty();
  }

  @Test
  void batchAppliesAllOperationsInOrder() {
    store.put(A, "gone", bs("x"), Durability.DURABLE);
    Batch batch = new Batch()
        .put(A, "k1", bs("1"))
        .put(B, "k2", bs("2"))
        .delete(A, "gone")
        .put(A, "k1", bs("1b"));
    store.write(batch, Durability.DURABLE);
    assertThat(store.get(A, "k1")).contains(bs("1b"));
    assertThat(store.get(B, "k2")).contains(bs("2"));
    assertThat(store.get(A, "gone")).isEmpty();
  }

  @Test
  void mergeAppendsToTheStoredBytesInBatchOrder() {
    store.write(new Batch().merge(A, "new", bs("a")), Durability.DURABLE); // nothing stored yet
    assertThat(store.get(A, "new")).contains(bs("a"));
    store.put(A, "k", bs("base"), Durability.DURABLE);
    store.write(new Batch().merge(A, "k", bs("+1")).merge(B, "k", bs("b")), Durability.DURABLE);
    store.writeAsync(new Batch().merge(A, "k", bs("+2")), Durability.BUFFERED).join();
    assertThat(store.get(A, "k")).contains(bs("base+1+2"));
    assertThat(store.scan(A, "k")).containsExactly(new Entry("k", bs("base+1+2")));
    assertThat(store.get(B, "k")).contains(bs("b"));
    // a put replaces the merged value, a merge after a delete starts again
    store.write(new Batch().merge(A, "k", bs("+3")).put(A, "k", bs("p")).merge(A, "k", bs("+4")),
        Durability.DURABLE);
    assertThat(store.get(A, "k")).contains(bs("p+4"));
    store.write(new Batch().delete(A, "k").merge(A, "k", bs("m")), Durability.DURABLE);
    assertThat(store.get(A, "k")).contains(bs("m"));
  }

  @Test
  void mergedProtobufEncodingsParseAsTheMergedMessage() {
    ProtoTable<StringValue> table = new ProtoTable<>(store, A, StringValue.parser());
    table.put("x", StringValue.of("first"), Durability.DURABLE);
    store.write(new Batch().merge(A, "x", StringValue.of("last").toByteString()),
        Durability.DURABLE);
    assertThat(table.get("x")).contains(StringValue.of("last"));
  }

  @Test
  void protoTableRoundTripsMessagesAndReportsCorruption() {
    ProtoTable<StringValue> table = new ProtoTable<>(store, A, StringValue.parser());
    table.put("x", StringValue.of("hello"), Durability.DURABLE);
    assertThat(table.get("x")).contains(StringValue.of("hello"));
    assertThat(table.scan("")).containsExactly(StringValue.of("hello"));
    assertThat(table.keys("")).containsExactly("x");
    store.put(A, "bad", ByteString.copyFrom(new byte[] {(byte) 0x0a, 0x05, 'a'}), Durability.DURABLE);
    assertThatThrownBy(() -> table.get("bad"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("corrupt value in a at 'bad'");
    // a settle step that finds its stored form malformed: corrupt too, with its reason
    ProtoTable<StringValue> settled = new ProtoTable<>(store, A, StringValue.parser(),
        java.util.function.UnaryOperator.identity(), v -> {
      if (v.getValue().startsWith("?")) {
        throw new java.io.UncheckedIOException(
            new com.google.protobuf.InvalidProtocolBufferException("no question marks"));
      }
      return v;
    });
    table.put("q", StringValue.of("?"), Durability.DURABLE);
    assertThat(settled.get("x")).contains(StringValue.of("hello"));
    assertThatThrownBy(() -> settled.get("q"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("corrupt value in a at 'q': no question marks");
  }

  @Test
  void aProtoTableWritesItsStoredFormAndReadsItBack() {
    // stored form: the text reversed; put and Batch.put both write it, get and scan undo it
    java.util.function.UnaryOperator<StringValue> reversed =
        v -> StringValue.of(new StringBuilder(v.getValue()).reverse().toString());
    ProtoTable<StringValue> table = new ProtoTable<>(store, A, StringValue.parser(), reversed,
        reversed);
    table.put("x", StringValue.of("abc"), Durability.DURABLE);
    store.write(new Batch().put(table, "y", StringValue.of("xyz")), Durability.DURABLE);
    assertThat(store.get(A, "x")).contains(StringValue.of("cba").toByteString());
    assertThat(store.get(A, "y")).contains(StringValue.of("zyx").toByteString());
    assertThat(table.encode(StringValue.of("abc"))).isEqualTo(StringValue.of("cba").toByteString());
    assertThat(table.get("x")).contains(StringValue.of("abc"));
    assertThat(table.scan("")).containsExactly(StringValue.of("abc"), StringValue.of("xyz"));
  }

  @Test
  void operationsAfterCloseFailWithStoreException() {
    store.close();
    assertThatThrownBy(() -> store.get(A, "k")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.put(A, "k", bs("v"), Durability.DURABLE))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.scan(A, "")).isInstanceOf(StoreException.class);
    store.close(); // idempotent
  }

  @Test
  void valuesHaveContentEquality() {
    store.put(A, "k", bs("v"), Durability.DURABLE);
    List<Entry> first = store.scan(A, "");
    List<Entry> second = store.scan(A, "");
    assertThat(first).isEqualTo(second);
  }
}
