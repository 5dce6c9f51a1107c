package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link RocksDbStore#valueBytes}: a value that wraps one whole array is handed to RocksDB without
 * a copy; any other form (a slice, a concatenation, a buffer) is copied; the bytes are always the
 * value's.
 */
class RocksDbStoreValueBytesTest {
  @Test
  void aWholeArrayIsHandedOverWithoutACopy() {
    byte[] serialized = {1, 2, 3, 4, 5};
    assertThat(RocksDbStore.valueBytes(UnsafeByteOperations.unsafeWrap(serialized)))
        .isSameAs(serialized);
  }

  @Test
  void aSerializedMessageIsNotCopied() {
    ByteString message = ByteString.copyFromUtf8("a serialized device");
    byte[] first = RocksDbStore.valueBytes(message);
    assertThat(first).isEqualTo(message.toByteArray());
    assertThat(RocksDbStore.valueBytes(message)).isSameAs(first);
  }

  @Test
  void theEmptyValueIsEmpty() {
    assertThat(RocksDbStore.valueBytes(ByteString.EMPTY)).isEmpty();
  }

  @Test
  void aSliceOfALargerArrayIsCopied() {
    byte[] backing = {9, 1, 2, 3, 9};
    ByteString slice = UnsafeByteOperations.unsafeWrap(backing, 1, 3);
    byte[] out = RocksDbStore.valueBytes(slice);
    assertThat(out).containsExactly(1, 2, 3).isNotSameAs(backing);
  }

  @Test
  void aBufferIsCopied() {
    ByteString buffer = UnsafeByteOperations.unsafeWrap(ByteBuffer.wrap(new byte[] {7, 8}));
    assertThat(RocksDbStore.valueBytes(buffer)).containsExactly(7, 8);
  }

  @Property(tries = 200)
  void theBytesAreAlwaysTheValues(@ForAll @Size(max = 40) byte[] a,
      @ForAll @Size(max = 40) byte[] b, @ForAll @IntRange(max = 3) int form) {
    ByteString value = switch (form) {
      case 0 -> ByteString.copyFrom(a);
      case 1 -> ByteString.copyFrom(a).concat(ByteString.copyFrom(b));
      case 2 -> ByteString.copyFrom(a).concat(ByteString.copyFrom(b)).substring(a.length / 2);
      default -> UnsafeByteOperations.unsafeWrap(ByteBuffer.wrap(a));
    };
    assertThat(RocksDbStore.valueBytes(value)).isEqualTo(value.toByteArray());
  }
}
