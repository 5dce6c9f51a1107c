package dev.loralab.identityserver.internal;

import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.abp;
import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.InvalidFieldException;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.InMemoryStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.ProtoTable;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreEndDeviceRegistry#editAsync}: the same stored device, index and errors as
 * {@code updateAsync} with the equivalent mutator.
 */
class StoreEndDeviceRegistryEditTest {
  final dev.loralab.identityserver.MutableClock clock =
      new dev.loralab.identityserver.MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  final EntityValidation validation = new EntityValidation(id -> true);

  StoreEndDeviceRegistry registry() {
    InMemoryStore store = new InMemoryStore();
    new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser()).put("app1",
        Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
            .setApplicationId("app1")).build(), Durability.DURABLE);
    StoreEndDeviceRegistry r =
        new StoreEndDeviceRegistry(store, validation, clock, new KeyedLocks(), 16);
    r.create(abp("dev1", "0000000000000001", "26000001"));
    return r;
  }

  static Throwable failure(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("not failed");
  }

  /** Edits {@code a} with {@code edit}, {@code b} with the equivalent mutator; same results. */
  void same(Consumer<EndDevice.Builder> edit) {
    StoreEndDeviceRegistry a = registry();
    StoreEndDeviceRegistry b = registry();
    clock.advance(java.time.Duration.ofSeconds(5));
    UnaryOperator<EndDevice> mutator = d -> {
      EndDevice.Builder builder = d.toBuilder();
      edit.accept(builder);
      return builder.build();
    };
    CompletableFuture<EndDevice> edited = a.editAsync(ids("dev1"), edit, Durability.DURABLE);
    CompletableFuture<EndDevice> updated = b.updateAsync(ids("dev1"), mutator,
        Durability.DURABLE);
    assertThat(edited.isCompletedExceptionally()).isEqualTo(updated.isCompletedExceptionally());
    if (updated.isCompletedExceptionally()) {
      assertThat(failure(edited)).isInstanceOf(failure(updated).getClass())
          .hasMessage(failure(updated).getMessage());
    } else {
      assertThat(edited.join()).isEqualTo(updated.join());
      assertThat(edited.join().getUpdatedAt().getSeconds())
          .isEqualTo(clock.instant().getEpochSecond());
    }
    for (String addr : new String[] {"26000001", "26000002", "26000003"}) {
      assertThat(a.byDevAddr(addr)).isEqualTo(b.byDevAddr(addr));
    }
    assertThat(a.get(ids("dev1"))).isEqualTo(b.get(ids("dev1")));
  }

  @Test
  void aFrameCounterUpdate() {
    same(d -> d.getSessionBuilder().setLastFCntUp(42));
  }

  @Test
  void anAddressChangeInLowerCaseIsNormalized() {
    same(d -> d.getSessionBuilder().setDevAddr("26000002"));
    same(d -> d.getSessionBuilder().setDevAddr("2600000a"));
  }

  @Test
  void aRejoinPromotesThePendingSession() {
    same(d -> d.setPendingSession(d.getSession().toBuilder().setDevAddr("26000003")));
    same(d -> {
      d.setPendingSession(d.getSession().toBuilder().setDevAddr("26000003"));
      d.setSession(d.getPendingSession()).clearPendingSession();
    });
  }

  @Test
  void idsAndCreationTimeCannotChange() {
    same(d -> d.getIdsBuilder().setDeviceId("other").setDevEui("00000000000000aa"));
    same(d -> d.setCreatedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1)));
  }

  @Test
  void invalidFieldsAndMissingDevicesFailTheFuture() {
    same(d -> d.getSessionBuilder().setDevAddr("xyz"));
    StoreEndDeviceRegistry a = registry();
    assertThat(failure(a.editAsync(ids("dev1"), d -> d.getSessionBuilder().setDevAddr("123"),
        Durability.DURABLE))).isInstanceOf(InvalidFieldException.class);
    assertThat(failure(a.editAsync(ids("nope"), d -> { }, Durability.DURABLE)))
        .isInstanceOf(EntityNotFoundException.class);
    assertThat(failure(a.editAsync(ids("dev1"), d -> {
      throw new IllegalStateException("aborted");
    }, Durability.DURABLE))).hasMessage("aborted");
    assertThat(a.get(ids("dev1")).orElseThrow().getSession().getDevAddr())
        .isEqualTo("26000001");
  }
}
