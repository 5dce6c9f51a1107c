package dev.loralab.gatewayserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.events.CorrelationIds;
import dev.loralab.gatewayserver.internal.GatewayConnection.PendingDownlink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Expiry and eviction of the downlinks a connection holds for their TX_ACK. */
class GatewayConnectionPendingTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static PendingDownlink downlink(int token, long sentAtMillis) {
    return new PendingDownlink(token, T0.plusMillis(sentAtMillis),
        DownlinkMessage.getDefaultInstance(), CorrelationIds.of(List.of("gs:test:" + token)));
  }

  static GatewayConnection connectionWith(PendingDownlink... downlinks) {
    GatewayConnection c = GatewayConnectionSlotsTest.connection(0x70B3D57ED1000001L, 1);
    for (PendingDownlink p : downlinks) {
      c.pending().put(p.token(), p);
    }
    return c;
  }

  @Test
  void expiryForgetsOnlyThoseSentBeforeTheCutoff() {
    GatewayConnection c = connectionWith(downlink(1, 0), downlink(2, 1_000), downlink(3, 2_000));
    assertThat(c.expirePending(T0.plusMillis(1_000))).extracting(PendingDownlink::token)
        .containsExactly(1);
    assertThat(c.pending()).containsOnlyKeys(2, 3);
    assertThat(c.expirePending(T0.plusMillis(1_000))).isEmpty();
  }

  @Test
  void evictionMakesRoomForOneMoreByForgettingTheEarliestSent() {
    // inserted in another order than sent (a held PULL_RESP is sent later than it is scheduled)
    GatewayConnection c = connectionWith(downlink(10, 5_000), downlink(11, 1_000),
        downlink(12, 3_000), downlink(13, 2_000), downlink(14, 4_000));
    assertThat(c.evictPendingBeyond(6)).isEmpty();
    assertThat(c.evictPendingBeyond(5)).extracting(PendingDownlink::token).containsExactly(11);
    assertThat(c.evictPendingBeyond(3)).extracting(PendingDownlink::token)
        .containsExactly(13, 12);
    assertThat(c.pending()).containsOnlyKeys(10, 14);
  }

  @Property(tries = 200)
  void evictionKeepsTheLatestSentBelowTheBound(
      @ForAll @Size(min = 0, max = 60) List<@IntRange(min = 0, max = 10_000) Integer> sentAt,
      @ForAll @IntRange(min = 1, max = 40) int max) {
    List<PendingDownlink> all = new ArrayList<>();
    for (int i = 0; i < sentAt.size(); i++) {
      // distinct instants: i breaks ties
      all.add(downlink(i, sentAt.get(i) * 100L + i));
    }
    List<PendingDownlink> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new java.util.Random(sentAt.size()));
    GatewayConnection c = connectionWith(shuffled.toArray(PendingDownlink[]::new));
    List<PendingDownlink> evicted = c.evictPendingBeyond(max);
    List<PendingDownlink> bySentAt = new ArrayList<>(all);
    bySentAt.sort((a, b) -> a.sentAt().compareTo(b.sentAt()));
    int expectedEvicted = Math.max(0, all.size() - (max - 1));
    assertThat(evicted).containsExactlyElementsOf(bySentAt.subList(0, expectedEvicted));
    assertThat(c.pending().values()).containsExactlyInAnyOrderElementsOf(
        bySentAt.subList(expectedEvicted, all.size()));
    assertThat(c.pending().size()).isLessThan(max);
  }
}
