package dev.loralab.events.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.Event;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.EventFactory;
import dev.loralab.events.SubscriptionRequest;
import dev.loralab.events.Ulid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RecordingEventBusTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final EventDefinition UP = EventDefinition.define("gs.up.receive", "receive uplink");
  private static final EventDefinition STATUS = EventDefinition.define("gs.status.receive", "status");

  private final EventFactory factory = new EventFactory(CLOCK, new Ulid(CLOCK, new Random(1)), "test-host");

  private Event event(EventDefinition def, String gateway) {
    return factory.create(def, CorrelationIds.empty(), null, EntityKeys.gateway(gateway));
  }

  @Test
  void recordsInOrderAndAnswersByName() {
    RecordingEventBus bus = new RecordingEventBus();
    Event up1 = event(UP, "gw1");
    Event status = event(STATUS, "gw1");
    Event up2 = event(UP, "gw2");
    bus.publish(up1);
    bus.publish(status);
    bus.publish(up2);

    assertThat(bus.events()).containsExactly(up1, status, up2);
    assertThat(bus.names()).containsExactly("gs.up.receive", "gs.status.receive", "gs.up.receive");
    assertThat(bus.named("gs.up.receive")).containsExactly(up1, up2);
    assertThat(bus.has("gs.status.receive")).isTrue();
    assertThat(bus.has("gs.down.send")).isFalse();
    assertThat(bus.count("gs.up.receive")).isEqualTo(2);
    assertThat(bus.first("gs.up.receive")).isSameAs(up1);
    assertThat(bus.single("gs.status.receive")).isSameAs(status);
    assertThat(bus.last(e -> e.name().equals("gs.up.receive"))).containsSame(up2);
    assertThat(bus.last(e -> false)).isEmpty();
    assertThat(bus.await("gs.up.receive", e -> e == up2)).isSameAs(up2);

    bus.clear();
    assertThat(bus.events()).isEmpty();
  }

  @Test
  void failedLookupsNameWhatWasRecorded() {
    RecordingEventBus bus = new RecordingEventBus(Duration.ofMillis(50));
    bus.publish(event(UP, "gw1"));
    bus.publish(event(UP, "gw1"));

    assertThatThrownBy(() -> bus.first("gs.down.send")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("gs.down.send").hasMessageContaining("gs.up.receive");
    assertThatThrownBy(() -> bus.single("gs.up.receive")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected one gs.up.receive");
    assertThatThrownBy(() -> bus.await("gs.down.send")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("timed out waiting for event gs.down.send");
    assertThatThrownBy(() -> bus.subscribe(SubscriptionRequest.of(1, EntityKeys.gateway("gw1"))))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void awaitsAnEventPublishedByAnotherThread() {
    RecordingEventBus bus = new RecordingEventBus();
    Event up = event(UP, "gw1");
    CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> bus.publish(up));

    assertThat(bus.await("gs.up.receive")).isSameAs(up);
    publisher.join();
  }

  @Test
  void snapshotsAreImmutable() {
    RecordingEventBus bus = new RecordingEventBus();
    bus.publish(event(UP, "gw1"));

    assertThatThrownBy(() -> bus.events().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new RecordingEventBus(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
