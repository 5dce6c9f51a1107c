package dev.loralab.api.auth;

import static dev.loralab.api.v3.Right.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import org.junit.jupiter.api.Test;

class StaticAccessControlTest {
  private final EntityIdentifiers alice = EntityKeys.user("alice");
  private final EntityIdentifiers app1 = EntityKeys.application("app1");
  private final EntityIdentifiers app2 = EntityKeys.application("app2");
  private final EntityIdentifiers gw1 = EntityKeys.gateway("gw1");

  private final StaticAccessControl ac = StaticAccessControl.builder()
      .token("USER-KEY", "k1", alice, RightSet.of(RIGHT_USER_ALL))
      .token("APP-KEY", "k2", app1, RightSet.of(RIGHT_APPLICATION_TRAFFIC_READ))
      .token("ADMIN-KEY", "k3", EntityKeys.user("admin"), RightSet.of(RIGHT_ALL))
      .token("GW-KEY", "k4", gw1, RightSet.of(RIGHT_GATEWAY_LINK))
      .owner(app1, alice)
      .owner(gw1, alice)
      .owner(app2, EntityKeys.user("bob"))
      .build();

  @Test
  void authenticateAcceptsBearerAndBareTokens() {
    assertThat(ac.authenticate("Bearer USER-KEY").apiKeyId()).isEqualTo("k1");
    assertThat(ac.authenticate("bearer  APP-KEY ").apiKeyId()).isEqualTo("k2");
    assertThat(ac.authenticate("GW-KEY").owner()).isEqualTo(gw1);
  }

  @Test
  void authenticateRejectsUnknownAndMissing() {
    assertThatThrownBy(() -> ac.authenticate("Bearer NOPE")).isInstanceOf(Unauthenticated.class);
    assertThatThrownBy(() -> ac.authenticate("Bearer ")).isInstanceOf(Unauthenticated.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> ac.authenticate(null)).isInstanceOf(Unauthenticated.class);
  }

  @Test
  void userKeyActsOnOwnedEntities() {
    Caller c = ac.authenticate("USER-KEY");
    assertThat(ac.rightsOn(c, app1).includes(RIGHT_APPLICATION_TRAFFIC_READ)).isTrue();
    assertThat(ac.rightsOn(c, app1).includes(RIGHT_GATEWAY_INFO)).isFalse();
    assertThat(ac.rightsOn(c, gw1).includes(RIGHT_GATEWAY_TRAFFIC_READ)).isTrue();
    assertThat(ac.rightsOn(c, app2).isEmpty()).isTrue();
    assertThat(ac.rightsOn(c, alice).includes(RIGHT_USER_INFO)).isTrue();
  }

  @Test
  void deviceRightsComeFromItsApplication() {
    Caller c = ac.authenticate("APP-KEY");
    EntityIdentifiers dev = EntityIdentifiers.newBuilder().setDeviceIds(EndDeviceIdentifiers
        .newBuilder(EntityKeys.device("app1", "dev1").getDeviceIds()).setDevEui("70B3D57ED0050EAD"))
        .build();
    assertThat(ac.rightsOn(c, dev).asSet()).containsExactly(RIGHT_APPLICATION_TRAFFIC_READ);
    assertThat(ac.rightsOn(c, EntityKeys.device("app2", "dev1")).isEmpty()).isTrue();
  }

  @Test
  void gatewayKeyHasLinkImplications() {
    Caller c = ac.authenticate("GW-KEY");
    assertThat(ac.rightsOn(c, gw1).asSet())
        .containsExactlyInAnyOrder(RIGHT_GATEWAY_LINK, RIGHT_GATEWAY_INFO);
    assertThat(ac.rightsOn(c, app1).isEmpty()).isTrue();
  }

  @Test
  void adminHasEverything() {
    Caller c = ac.authenticate("ADMIN-KEY");
    assertThat(ac.rightsOn(c, app2).includes(RIGHT_APPLICATION_DELETE)).isTrue();
    assertThat(ac.rightsOn(c, app2).includes(RIGHT_ALL)).isTrue();
  }

  @Test
  void permissionDeniedNamesEntity() {
    assertThat(new PermissionDenied(app1, "missing RIGHT_APPLICATION_INFO").getMessage())
        .contains("application:app1").contains("RIGHT_APPLICATION_INFO");
  }

  @Test
  void requireAny() {
    Caller c = ac.authenticate("APP-KEY");
    assertThat(ac.requireAny(c, app1, java.util.List.of(RIGHT_APPLICATION_TRAFFIC_READ))
        .includes(RIGHT_APPLICATION_TRAFFIC_READ)).isTrue();
    assertThatThrownBy(() -> ac.requireAny(c, app1, java.util.List.of(RIGHT_APPLICATION_DELETE)))
        .isInstanceOf(PermissionDenied.class).hasMessageContaining("application:app1")
        .hasMessageContaining("RIGHT_APPLICATION_DELETE");
  }
}
