package dev.loralab.gatewayserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.gatewayserver.RegisteredGateway;
import dev.loralab.lorawan.Eui64;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The event loop's connection slots answer as the map (live connections only) would. */
class GatewayConnectionSlotsTest {

  static final FrequencyPlan PLAN = FrequencyPlanStore.builtIn().get("EU_863_870_TTN");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static GatewayConnection connection(long eui, long serial) {
    Eui64 e = new Eui64(eui);
    return new GatewayConnection(e, RegisteredGateway.of(GatewayIdentifiers.newBuilder()
        .setGatewayId("gw-" + serial).setEui(e.toString()).build(), "EU_863_870_TTN"), PLAN,
        "gs:conn:" + serial, serial, T0, Runnable::run);
  }

  final Map<Eui64, GatewayConnection> map = new HashMap<>();
  final AtomicInteger lookups = new AtomicInteger();
  final Function<Eui64, GatewayConnection> lookup = eui -> {
    lookups.incrementAndGet();
    return map.get(eui);
  };

  @Test
  void aHitComparesTheEuiWithoutAskingTheMap() {
    GatewayConnectionSlots slots = new GatewayConnectionSlots(16);
    GatewayConnection c = connection(0x70B3D57ED1000001L, 1);
    map.put(c.eui(), c);
    assertThat(slots.live(new Eui64(0x70B3D57ED1000001L), lookup)).isSameAs(c);
    assertThat(slots.live(new Eui64(0x70B3D57ED1000001L), lookup)).isSameAs(c);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void aClosedConnectionIsLookedUpAgainAndReplaced() {
    GatewayConnectionSlots slots = new GatewayConnectionSlots(16);
    GatewayConnection first = connection(7, 1);
    map.put(first.eui(), first);
    assertThat(slots.live(new Eui64(7), lookup)).isSameAs(first);
    first.close();
    map.remove(first.eui());
    assertThat(slots.live(new Eui64(7), lookup)).isNull();
    GatewayConnection second = connection(7, 2);
    map.put(second.eui(), second);
    assertThat(slots.live(new Eui64(7), lookup)).isSameAs(second);
    // closed but still in the map (between close and removal): not live
    second.close();
    assertThat(slots.live(new Eui64(7), lookup)).isNull();
  }

  @Test
  void euisSharingASlotEachGetTheirOwnConnection() {
    GatewayConnectionSlots slots = new GatewayConnectionSlots(1); // every EUI in one slot
    GatewayConnection a = connection(1, 1);
    GatewayConnection b = connection(2, 2);
    map.put(a.eui(), a);
    map.put(b.eui(), b);
    for (int i = 0; i < 3; i++) {
      assertThat(slots.live(new Eui64(1), lookup)).isSameAs(a);
      assertThat(slots.live(new Eui64(2), lookup)).isSameAs(b);
    }
    assertThat(slots.live(new Eui64(3), lookup)).isNull();
  }

  @Test
  void slotCountMustBeAPowerOfTwo() {
    for (int bad : new int[] {0, -4, 3, 4095}) {
      assertThatThrownBy(() -> new GatewayConnectionSlots(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found " + bad);
    }
  }

  /** One step: connect (replacing a closed connection), disconnect, or a datagram's lookup. */
  record Op(int kind, int gateway) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Arbitraries.integers().between(0, 2).flatMap(kind -> Arbitraries.integers()
        .between(0, 11).map(gw -> new Op(kind, gw))).list().ofMaxSize(200);
  }

  @Property(tries = 300)
  void answersAsTheMapOfLiveConnections(@ForAll("ops") List<Op> ops,
      @ForAll("slotCounts") int slotCount) {
    GatewayConnectionSlots slots = new GatewayConnectionSlots(slotCount);
    long serial = 0;
    for (Op op : ops) {
      // EUIs differing in high and low bits, some sharing slots
      Eui64 eui = new Eui64(((long) op.gateway() << 40) ^ 0x70B3D57ED1000000L ^ op.gateway());
      GatewayConnection current = map.get(eui);
      switch (op.kind()) {
        case 0 -> {
          if (current == null || current.closed()) {
            map.put(eui, connection(eui.value(), ++serial));
          }
        }
        case 1 -> {
          if (current != null) {
            current.close();
            map.remove(eui);
          }
        }
        default -> {
          GatewayConnection expected = current != null && !current.closed() ? current : null;
          assertThat(slots.live(new Eui64(eui.value()), lookup)).isSameAs(expected);
        }
      }
    }
  }

  @Provide
  Arbitrary<Integer> slotCounts() {
    return Arbitraries.of(1, 2, 8, 4096);
  }
}
