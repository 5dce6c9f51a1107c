package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentitySlotsTest {

  /** An immutable value naming its key. */
  private record Entry(String key, int value) {
  }

  @Test
  void anEqualButDistinctKeyDoesNotHit() {
    IdentitySlots<String, Entry> slots = new IdentitySlots<>("test", 16, Entry::key);
    String a = new String("device-1");
    String b = new String("device-1");
    slots.put(a, new Entry(a, 1));
    assertThat(slots.get(a)).isEqualTo(new Entry(a, 1));
    assertThat(slots.get(b)).isNull();
  }

  @Test
  void oneSlotHoldsTheLastPutAndTheSizeIsBounded() {
    IdentitySlots<Object, Entry> slots = new IdentitySlots<>("test", 1, e -> e.key());
    String a = new String("a");
    String b = new String("b");
    slots.put(a, new Entry(a, 1));
    slots.put(b, new Entry(b, 2));
    assertThat(slots.get(a)).isNull();
    assertThat(slots.get(b).value()).isEqualTo(2);
    assertThat(slots.size()).isEqualTo(1);
    assertThat(slots.capacity()).isEqualTo(1);
  }

  @Test
  void aValueOfAnotherKeyInTheSlotIsNotReturned() {
    // a racing writer can leave the key of one put next to the value of another
    IdentitySlots<Object, Entry> slots = new IdentitySlots<>("test", 1, e -> e.key());
    String a = new String("a");
    String b = new String("b");
    slots.put(a, new Entry(b, 1));
    assertThat(slots.get(a)).isNull();
  }

  @Test
  void capacityMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new IdentitySlots<Object, Entry>("entity key cache", 12, e -> e.key()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity key cache capacity: expected a power of two, found 12");
    assertThatThrownBy(() -> new IdentitySlots<Object, Entry>("test", 0, e -> e.key()))
        .hasMessage("test capacity: expected a power of two, found 0");
  }
}
