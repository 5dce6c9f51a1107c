package dev.loralab.identityserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.auth.Unauthenticated;
import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.identityserver.ApiKeyToken;
import dev.loralab.identityserver.IdentityAccessControl;
import dev.loralab.identityserver.InvalidFieldException;
import dev.loralab.identityserver.MutableClock;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoreApiKeyRegistryTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryStore store = new InMemoryStore();
  final StoreApiKeyRegistry keys =
      new StoreApiKeyRegistry(store, new ApiKeySecrets(new Random(7), 1000), clock, 100);
  final Ownership ownership = new Ownership(store);
  final IdentityAccessControl access = new IdentityAccessControl(keys, ownership);

  static final EntityIdentifiers ALICE = EntityKeys.user("alice");
  static final EntityIdentifiers APP_A = EntityKeys.application("app-a");
  static final EntityIdentifiers APP_B = EntityKeys.application("app-b");
  static final EntityIdentifiers GTW = EntityKeys.gateway("gtw-1");

  @Test
  void createReturnsTheTokenOnceAndStoresOnlyAHash() {
    APIKey created = keys.create(APP_A, "k", List.of(Right.RIGHT_APPLICATION_INFO), Optional.empty());
    ApiKeyToken token = ApiKeyToken.parse(created.getKey());
    assertThat(token.id()).isEqualTo(created.getId());
    APIKey raw = new dev.loralab.identityserver.store.ProtoTable<>(store, Namespaces.API_KEYS,
        APIKey.parser()).get("application:app-a/" + created.getId()).orElseThrow();
    assertThat(raw.getKey()).startsWith("PBKDF2-SHA256$").doesNotContain(token.secret());
    assertThat(keys.get(APP_A, created.getId()).orElseThrow().getKey()).isEmpty();
    assertThat(keys.list(APP_A)).extracting(APIKey::getKey).containsExactly("");
    assertThat(keys.list(APP_B)).isEmpty();
  }

  @Test
  void authenticatesAndCachesVerification() {
    APIKey created = keys.create(APP_A, "k", List.of(Right.RIGHT_APPLICATION_ALL), Optional.empty());
    Caller c = access.authenticate("Bearer " + created.getKey());
    assertThat(c.apiKeyId()).isEqualTo(created.getId());
    assertThat(c.owner()).isEqualTo(APP_A);
    assertThat(keys.cachedVerifications()).isEqualTo(1);
    assertThat(access.authenticate(created.getKey())).isEqualTo(c);
    assertThat(keys.cachedVerifications()).isEqualTo(1);
  }

  @Test
  void wrongSecretUnknownKeyAndDeletedKeyAreUnauthenticated() {
    APIKey created = keys.create(APP_A, "k", List.of(Right.RIGHT_APPLICATION_ALL), Optional.empty());
    ApiKeyToken token = ApiKeyToken.parse(created.getKey());
    String wrong = new ApiKeyToken(token.id(), "A".repeat(52)).format();
    assertThatThrownBy(() -> access.authenticate(wrong))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("invalid secret");
    String unknown = new ApiKeyToken("B".repeat(39), token.secret()).format();
    assertThatThrownBy(() -> access.authenticate(unknown))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("unknown");
    access.authenticate(created.getKey());
    assertThat(keys.delete(APP_A, created.getId())).isTrue();
    assertThat(keys.cachedVerifications()).isZero();
    assertThatThrownBy(() -> access.authenticate(created.getKey()))
        .isInstanceOf(Unauthenticated.class);
    assertThat(keys.delete(APP_A, created.getId())).isFalse();
  }

  @Test
  void expiredKeyIsUnauthenticatedEvenWhenCached() {
    APIKey created = keys.create(APP_A, "k", List.of(Right.RIGHT_APPLICATION_ALL),
        Optional.of(clock.instant().plus(Duration.ofHours(1))));
    access.authenticate(created.getKey());
    clock.advance(Duration.ofHours(1));
    assertThatThrownBy(() -> access.authenticate(created.getKey()))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("expired");
    assertThatThrownBy(() -> access.authenticate(created.getKey()))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("expired");
  }

  @Test
  void updateChangesRightsAndInvalidatesCache() {
    APIKey created = keys.create(APP_A, "k", List.of(Right.RIGHT_APPLICATION_ALL), Optional.empty());
    access.authenticate(created.getKey());
    keys.update(APP_A, created.getId(), "renamed", List.of(Right.RIGHT_APPLICATION_INFO),
        Optional.empty());
    Caller c = access.authenticate(created.getKey());
    assertThat(c.rights()).isEqualTo(RightSet.of(Right.RIGHT_APPLICATION_INFO));
    assertThat(keys.get(APP_A, created.getId()).orElseThrow().getName()).isEqualTo("renamed");
  }

  @Test
  void rejectsInvalidRightsAndPastExpiry() {
    assertThatThrownBy(() -> keys.create(APP_A, "", List.of(), Optional.empty()))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("rights");
    assertThatThrownBy(() -> keys.create(APP_A, "", List.of(Right.RIGHT_GATEWAY_INFO), Optional.empty()))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("rights");
    assertThatThrownBy(() -> keys.create(APP_A, "", List.of(Right.RIGHT_APPLICATION_INFO),
        Optional.of(clock.instant())))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("expires_at");
  }

  @Test
  void rightsFollowOwnershipAndKind() {
    store.write(ownership.record(new Batch(), APP_A, ALICE), Durability.DURABLE);
    store.write(ownership.record(new Batch(), GTW, ALICE), Durability.DURABLE);
    Caller user = access.authenticate(
        keys.create(ALICE, "", List.of(Right.RIGHT_USER_ALL), Optional.empty()).getKey());
    Caller app = access.authenticate(
        keys.create(APP_A, "", List.of(Right.RIGHT_APPLICATION_ALL), Optional.empty()).getKey());
    Caller gtw = access.authenticate(
        keys.create(GTW, "", List.of(Right.RIGHT_GATEWAY_ALL), Optional.empty()).getKey());

    assertThat(access.rightsOn(user, APP_A).includes(Right.RIGHT_APPLICATION_DEVICES_WRITE)).isTrue();
    assertThat(access.rightsOn(user, EntityKeys.device("app-a", "d1"))
        .includes(Right.RIGHT_APPLICATION_DEVICES_READ)).isTrue();
    assertThat(access.rightsOn(user, APP_B).isEmpty()).isTrue();
    assertThat(access.rightsOn(user, GTW).includes(Right.RIGHT_GATEWAY_LINK)).isTrue();

    assertThat(access.rightsOn(app, APP_A).includes(Right.RIGHT_APPLICATION_TRAFFIC_READ)).isTrue();
    assertThat(access.rightsOn(app, EntityKeys.device("app-a", "d1")).isEmpty()).isFalse();
    assertThat(access.rightsOn(app, APP_B).isEmpty()).isTrue();
    assertThat(access.rightsOn(app, EntityKeys.device("app-b", "d1")).isEmpty()).isTrue();
    assertThat(access.rightsOn(app, GTW).isEmpty()).isTrue();
    assertThat(access.rightsOn(app, ALICE).isEmpty()).isTrue();

    assertThat(access.rightsOn(gtw, GTW).includes(Right.RIGHT_GATEWAY_STATUS_READ)).isTrue();
    assertThat(access.rightsOn(gtw, APP_A).isEmpty()).isTrue();
  }

  @Test
  void adminKeyHasEveryRightEverywhere() {
    Caller admin = access.authenticate(
        keys.create(EntityKeys.user("admin"), "", List.of(Right.RIGHT_ALL), Optional.empty()).getKey());
    assertThat(access.rightsOn(admin, APP_B).includes(Right.RIGHT_APPLICATION_DEVICES_READ_KEYS)).isTrue();
    assertThat(access.rightsOn(admin, GTW).includes(Right.RIGHT_GATEWAY_ALL)).isTrue();
  }
}
