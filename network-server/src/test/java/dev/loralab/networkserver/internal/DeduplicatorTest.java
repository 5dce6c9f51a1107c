package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.Bytes;
import dev.loralab.networkserver.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {

  static UplinkMessage copy(String gw, String id) {
    return UplinkMessage.newBuilder().addRxMetadata(RxMetadata.newBuilder()
        .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId(gw))).addCorrelationIds(id)
        .build();
  }

  @Test
  void mergeKeepsEveryGatewayAndTheUnionOfCorrelationIdsUpToTheLimit() {
    UplinkMessage m = Deduplicator.merge(List.of(copy("a", "x:1"), copy("b", "x:2"),
        copy("c", "x:1")), 2);
    assertThat(m.getRxMetadataList()).extracting(r -> r.getGatewayIds().getGatewayId())
        .containsExactly("a", "b");
    assertThat(m.getCorrelationIdsList()).containsExactly("x:1", "x:2");
  }

  @Test
  void copiesMergeOnceLateCopiesAreReportedAndOverloadIsBounded() {
    // virtual time: the window closes exactly when the test advances past it, however slow the
    // machine is
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = new Deduplicator(Duration.ofMillis(50), Duration.ofMinutes(1), 2, 8, timer,
          out::add);
      Bytes k = Bytes.of(new byte[] {1});
      assertThat(d.add(k, copy("a", "x:1"))).isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(d.add(k, copy("b", "x:2"))).isEqualTo(Deduplicator.Outcome.MERGED);
      assertThat(d.add(Bytes.of(new byte[] {2}), copy("a", "x:3")))
          .isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(d.add(Bytes.of(new byte[] {3}), copy("a", "x:4")))
          .isEqualTo(Deduplicator.Outcome.OVERLOADED);
      timer.advance(Duration.ofMillis(49));
      assertThat(out).isEmpty();
      assertThat(d.add(k, copy("c", "x:5"))).isEqualTo(Deduplicator.Outcome.MERGED);
      timer.advance(Duration.ofMillis(1));
      assertThat(out).hasSize(2);
      assertThat(out.stream().mapToInt(UplinkMessage::getRxMetadataCount).sum()).isEqualTo(4);
      assertThat(out.get(0).getCorrelationIdsList()).containsExactly("x:1", "x:2", "x:5");
      // in the cooldown: a late copy, and the cooling window still counts towards the limit
      assertThat(d.add(k, copy("d", "x:6"))).isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
      assertThat(d.add(Bytes.of(new byte[] {3}), copy("a", "x:7")))
          .isEqualTo(Deduplicator.Outcome.OVERLOADED);
      // after the cooldown the same payload opens a new window
      timer.advance(Duration.ofMinutes(1));
      assertThat(d.size()).isZero();
      assertThat(d.add(k, copy("e", "x:8"))).isEqualTo(Deduplicator.Outcome.OPENED);
    } finally {
      timer.shutdownNow();
    }
  }
}
