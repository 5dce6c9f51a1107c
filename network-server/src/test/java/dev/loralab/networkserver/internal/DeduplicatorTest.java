package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.Bytes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
  void copiesMergeOnceLateCopiesAreReportedAndOverloadIsBounded() throws Exception {
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = new Deduplicator(Duration.ofMillis(50), Duration.ofMinutes(1), 2, 8, ex,
          out::add);
      Bytes k = Bytes.of(new byte[] {1});
      assertThat(d.add(k, copy("a", "x:1"))).isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(d.add(k, copy("b", "x:2"))).isEqualTo(Deduplicator.Outcome.MERGED);
      assertThat(d.add(Bytes.of(new byte[] {2}), copy("a", "x:3")))
          .isEqualTo(Deduplicator.Outcome.OPENED);
      assertThat(d.add(Bytes.of(new byte[] {3}), copy("a", "x:4")))
          .isEqualTo(Deduplicator.Outcome.OVERLOADED);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (out.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(out).hasSize(2);
      assertThat(out.stream().mapToInt(UplinkMessage::getRxMetadataCount).sum()).isEqualTo(3);
      assertThat(d.add(k, copy("c", "x:5"))).isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
    } finally {
      ex.shutdownNow();
    }
  }
}
