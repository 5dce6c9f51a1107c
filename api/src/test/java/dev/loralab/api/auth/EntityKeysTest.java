package dev.loralab.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.ClientIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import org.junit.jupiter.api.Test;

class EntityKeysTest {
  @Test
  void keys() {
    assertThat(EntityKeys.of(EntityKeys.application("app1"))).isEqualTo("application:app1");
    assertThat(EntityKeys.of(EntityKeys.gateway("gw1"))).isEqualTo("gateway:gw1");
    assertThat(EntityKeys.of(EntityKeys.device("app1", "dev1"))).isEqualTo("device:app1/dev1");
    assertThat(EntityKeys.of(EntityKeys.user("u"))).isEqualTo("user:u");
    assertThat(EntityKeys.of(EntityKeys.organization("o"))).isEqualTo("organization:o");
    assertThat(EntityKeys.of(EntityKeys.entity(ClientIdentifiers.newBuilder().setClientId("c")
        .build()))).isEqualTo("client:c");
  }

  @Test
  void parentOfDevice() {
    assertThat(EntityKeys.parent(EntityKeys.device("app1", "dev1")))
        .isEqualTo(EntityKeys.application("app1"));
    assertThatThrownBy(() -> EntityKeys.parent(EntityKeys.gateway("g")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device_ids");
  }

  @Test
  void unsetIdsAreRejected() {
    assertThatThrownBy(() -> EntityKeys.of(EntityIdentifiers.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
