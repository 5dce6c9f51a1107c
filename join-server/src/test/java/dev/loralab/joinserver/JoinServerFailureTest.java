package dev.loralab.joinserver;

import static dev.loralab.joinserver.JoinFixture.APP_KEY;
import static dev.loralab.joinserver.JoinFixture.DIRECT;
import static dev.loralab.joinserver.JoinFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.Right;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.testing.RecordingEventBus;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JoinServerFailureTest {

  private final RecordingEventBus bus = new RecordingEventBus();

  private JoinServer server(JoinServerStore store) {
    return new JoinServer(JoinServerConfig.defaults(), store, bus, Clock.systemUTC(),
        new SplittableRandom(1), DIRECT, new SimpleMeterRegistry());
  }

  private static ApiException refusal(CompletableFuture<?> f) {
    Throwable t = catchThrowable(() -> f.get(60, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ApiException.class);
    return (ApiException) t.getCause();
  }

  private static String reason(ApiException e) {
    return e.attributes().getFieldsOrThrow("reason").getStringValue();
  }

  /** A store whose methods can be made to fail. */
  private static class DelegatingStore implements JoinServerStore {
    final InMemoryJoinServerStore inner = new InMemoryJoinServerStore();

    @Override
    public Optional<JoinDevice> device(Eui64 joinEui, Eui64 devEui) {
      return inner.device(joinEui, devEui);
    }

    @Override
    public boolean commitJoin(JoinCommit commit) {
      return inner.commitJoin(commit);
    }

    @Override
    public Optional<JoinSession> session(SessionKeyId id) {
      return inner.session(id);
    }
  }

  @Test
  void aStoreFailureIsUnavailableAndNamed() {
    JoinServer js = server(new DelegatingStore() {
      @Override
      public Optional<JoinDevice> device(Eui64 joinEui, Eui64 devEui) {
        throw new IllegalStateException("disk on fire");
      }
    });
    ApiException e = refusal(js.handleJoin(request(APP_KEY, 1, MACVersion.MAC_V1_0_3)));
    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(reason(e)).isEqualTo("store_failure");
    assertThat(e.getMessage()).doesNotContain("disk on fire"); // internals stay in the log
  }

  @Test
  void aMalformedStoredDeviceIsAFailedPrecondition() {
    JoinServer js = server(new DelegatingStore() {
      @Override
      public Optional<JoinDevice> device(Eui64 joinEui, Eui64 devEui) {
        throw new JoinServerException("root_keys.app_key.key", "32 hex digits", "12 characters");
      }
    });
    ApiException e = refusal(js.handleJoin(request(APP_KEY, 1, MACVersion.MAC_V1_0_3)));
    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(reason(e)).isEqualTo("device_misconfigured");
    assertThat(e.getMessage()).contains("root_keys.app_key.key");
  }

  @Test
  void aConcurrentUpdateOfTheStoreIsAborted() {
    DelegatingStore store = new DelegatingStore() {
      @Override
      public boolean commitJoin(JoinCommit commit) {
        return false; // another Join Server process changed the nonces meanwhile
      }
    };
    store.inner.put(JoinFixture.device10(MacVersion.V1_0_3));
    ApiException e = refusal(server(store).handleJoin(request(APP_KEY, 1,
        MACVersion.MAC_V1_0_3)));
    assertThat(e.code()).isEqualTo(Status.Code.ABORTED);
    assertThat(reason(e)).isEqualTo("concurrent_update");
    assertThat(bus.named("js.join.accept")).isEmpty();
    assertThat(bus.named("js.join.reject")).hasSize(1);
  }

  @Test
  void tooManyPendingJoinsOfOneDeviceAreRefused() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DelegatingStore store = new DelegatingStore() {
      @Override
      public Optional<JoinDevice> device(Eui64 joinEui, Eui64 devEui) {
        entered.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.device(joinEui, devEui);
      }
    };
    store.inner.put(JoinFixture.device10(MacVersion.V1_0_3));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      JoinServer js = new JoinServer(JoinServerConfig.defaults().withMaxPendingJoinsPerDevice(1),
          store, bus, Clock.systemUTC(), new SplittableRandom(2), pool,
          new SimpleMeterRegistry());
      CompletableFuture<?> first = js.handleJoin(request(APP_KEY, 1, MACVersion.MAC_V1_0_3));
      assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<?> second = js.handleJoin(request(APP_KEY, 2, MACVersion.MAC_V1_0_3));
      CompletableFuture<?> third = js.handleJoin(request(APP_KEY, 3, MACVersion.MAC_V1_0_3));
      ApiException e = refusal(third);
      assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(reason(e)).isEqualTo("too_many_pending_joins");
      release.countDown();
      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void eventDefinitionsRegisterOnceWithApplicationTrafficVisibility() {
    EventCatalogue catalogue = new EventCatalogue();
    JoinServerEvents.registerAll(catalogue);
    assertThat(catalogue.get("js.join.accept")).isPresent();
    EventDefinition reject = catalogue.get("js.join.reject").orElseThrow();
    assertThat(reject.dataType()).isEqualTo(ErrorDetails.getDescriptor().getFullName());
    for (EventDefinition d : JoinServerEvents.all()) {
      assertThat(d.visibility().asSet()).containsExactly(Right.RIGHT_APPLICATION_TRAFFIC_READ);
      assertThat(d.propagateToParent()).isTrue();
    }
    assertThat(catchThrowable(() -> JoinServerEvents.registerAll(catalogue)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(catalogue.expandNames(List.of("js.*")))
        .containsExactly("js.join.accept", "js.join.reject");
  }
}
