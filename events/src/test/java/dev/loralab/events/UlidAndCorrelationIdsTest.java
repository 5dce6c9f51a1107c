package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class UlidAndCorrelationIdsTest {

  @Test
  void encodesTimestampAndRandomness() {
    // 48-bit time 0x0000_0000_0001 -> "0000000001"; 80 random bits all zero -> 16 zeros
    assertThat(Ulid.encode(1, 0, 0)).isEqualTo("00000000010000000000000000");
    // max time 2^48-1 -> "7ZZZZZZZZZ"; all-ones randomness -> 16 'Z'
    assertThat(Ulid.encode((1L << 48) - 1, 0xFFFF, -1L)).isEqualTo("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
    // lowest random bit set -> last char '1'; highest of 80 random bits -> char 10 = 0b10000 = 'G'
    assertThat(Ulid.encode(0, 0, 1)).endsWith("0000000000000001");
    assertThat(Ulid.encode(0, 0x8000, 0)).isEqualTo("0000000000G000000000000000");
    assertThat(Ulid.timestamp("01G76SF01BNW5SKRAND31Z0MGB")).isEqualTo(Instant.parse("2022-07-05T09:01:06.987Z"));
  }

  @Test
  void validation() {
    assertThat(Ulid.isValid("01G76SF01BNW5SKRAND31Z0MGB")).isTrue();
    assertThat(Ulid.isValid("01G76SF01BNW5SKRAND31Z0MG")).isFalse();
    assertThat(Ulid.isValid("01G76SF01BNW5SKRAND31Z0MGU")).isFalse(); // U is not Crockford
    assertThat(Ulid.isValid("81G76SF01BNW5SKRAND31Z0MGB")).isFalse(); // overflow
    assertThat(Ulid.isValid(null)).isFalse();
  }

  @Property
  void monotonicWithinAMillisecond(@ForAll @LongRange(min = 0, max = (1L << 48) - 2) long millis,
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 200) int n) {
    Clock fixed = Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    Ulid u = new Ulid(fixed, new Random(seed));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(u.next());
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(ids).allSatisfy(id -> assertThat(Ulid.isValid(id)).isTrue());
    assertThat(Ulid.timestamp(ids.get(0))).isEqualTo(Instant.ofEpochMilli(millis));
  }

  @Test
  void carriesIntoTheNextMillisecondWhenRandomOverflows() {
    Clock fixed = Clock.fixed(Instant.ofEpochMilli(1000), ZoneOffset.UTC);
    Random allOnes = new Random() {
      @Override
      public int nextInt() {
        return -1;
      }

      @Override
      public long nextLong() {
        return -1L;
      }
    };
    Ulid u = new Ulid(fixed, allOnes);
    String a = u.next();
    String b = u.next();
    assertThat(b).isGreaterThan(a);
    assertThat(Ulid.timestamp(b)).isEqualTo(Instant.ofEpochMilli(1001));
  }

  @Test
  void correlationIdsAreSortedAndUnique() {
    CorrelationIds ids = CorrelationIds.of("gs:uplink:B", "gs:conn:A", "gs:uplink:B");
    assertThat(ids.asList()).containsExactly("gs:conn:A", "gs:uplink:B");
    assertThat(ids.with("as:up:C").asList()).containsExactly("as:up:C", "gs:conn:A", "gs:uplink:B");
    assertThat(ids.with("gs:conn:A")).isSameAs(ids);
    assertThat(ids.merge(CorrelationIds.of("z", "a")).asList()).containsExactly("a", "gs:conn:A", "gs:uplink:B", "z");
    assertThat(ids.merge(List.of("gs:conn:A"))).isSameAs(ids);
    assertThat(ids.hasPrefix(CorrelationIds.GS_UPLINK)).isTrue();
    assertThat(ids.contains("gs:conn:A")).isTrue();
    assertThatThrownBy(() -> CorrelationIds.of("x".repeat(101))).hasMessageContaining("at most 100");
    assertThatThrownBy(() -> CorrelationIds.of("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void newIdsAndPrefixes() {
    String id = CorrelationIds.newId(CorrelationIds.GS_UPLINK);
    assertThat(id).startsWith("gs:uplink:");
    assertThat(Ulid.isValid(id.substring("gs:uplink:".length()))).isTrue();
    assertThat(CorrelationIds.rpcPrefix("ttn.lorawan.v3.GsNs/HandleUplink"))
        .isEqualTo("rpc:/ttn.lorawan.v3.GsNs/HandleUplink:");
    assertThat(CorrelationIds.rpcPrefix("/ttn.lorawan.v3.GsNs/HandleUplink"))
        .isEqualTo("rpc:/ttn.lorawan.v3.GsNs/HandleUplink:");
    assertThat(List.of(CorrelationIds.GS_CONN, CorrelationIds.GS_UP_HOST, CorrelationIds.GS_UPLINK,
        CorrelationIds.NS_UPLINK, CorrelationIds.NS_DOWNLINK, CorrelationIds.NS_TRANSMISSION, CorrelationIds.AS_UP))
        .containsExactly("gs:conn:", "gs:up:host:", "gs:uplink:", "ns:uplink:", "ns:downlink:", "ns:transmission:",
            "as:up:");
  }

  @Property
  void mergeIsUnionSortedUnique(@ForAll List<@net.jqwik.api.constraints.StringLength(min = 1, max = 20) String> a,
      @ForAll List<@net.jqwik.api.constraints.StringLength(min = 1, max = 20) String> b) {
    CorrelationIds m = CorrelationIds.of(a).merge(CorrelationIds.of(b));
    java.util.TreeSet<String> expected = new java.util.TreeSet<>(a);
    expected.addAll(b);
    assertThat(m.asList()).containsExactlyElementsOf(expected);
  }
}
