package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Sets of 5 to {@link DirectMappedCache#MAX_WAYS} ways (held in the wider bucket class) under the
 * same racing operations as {@link SetAssociativeCacheProperties}: no stale answer, no key cached
 * twice, the bound holds; and a full 8-way set keeps all 8 keys.
 */
class WideSetCacheProperties {
  private final SetAssociativeCacheProperties same = new SetAssociativeCacheProperties();

  @Provide
  Arbitrary<List<SetAssociativeCacheProperties.Op>> ops() {
    return same.ops();
  }

  @Property(tries = 300)
  void wideSetsNeverAnswerAStaleValue(@ForAll("ops") List<SetAssociativeCacheProperties.Op> ops,
      @ForAll @IntRange(min = 0, max = 20) int capacity,
      @ForAll @IntRange(min = 5, max = 8) int ways) {
    same.aReadNeverAnswersAStaleValueWithManyKeysPerSet(ops, capacity, ways);
  }

  @Example
  void anEightWaySetHoldsEightKeysAndANinthEvictsOne() {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", 64, true, 8);
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < 9; i++) {
      String k = "app/dev-" + i;
      if (keys.isEmpty() || cache.sameSet(keys.get(0), k)) {
        keys.add(k);
      }
    }
    for (String k : keys.subList(0, 8)) {
      cache.put(k, k + "#1");
    }
    for (String k : keys.subList(0, 8)) {
      assertThat(cache.copies(k)).isEqualTo(1);
      assertThat(cache.get(k, x -> null)).isEqualTo(k + "#1");
    }
    cache.put(keys.get(8), "ninth");
    assertThat(cache.size()).isEqualTo(8);
    int kept = 0;
    for (String k : keys) {
      kept += cache.copies(k);
    }
    assertThat(kept).isEqualTo(8);
    assertThat(cache.get(keys.get(8), x -> null)).isEqualTo("ninth");
    cache.invalidate(keys.get(8));
    assertThat(cache.copies(keys.get(8))).isZero();
    assertThat(cache.size()).isEqualTo(7);
  }
}
