package dev.loralab.api.auth;

import static dev.loralab.api.v3.Right.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.Right;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RightSetTest {
  private static List<Right> withPrefix(String prefix) {
    return Arrays.stream(Right.values())
        .filter(r -> r != UNRECOGNIZED && r.name().startsWith(prefix)).toList();
  }

  @Test
  void applicationAllImpliesEveryApplicationRightOnly() {
    RightSet s = RightSet.of(RIGHT_APPLICATION_ALL).expanded();
    assertThat(s.asSet()).containsAll(withPrefix("RIGHT_APPLICATION_"));
    assertThat(s.includes(RIGHT_GATEWAY_INFO)).isFalse();
    assertThat(s.includes(RIGHT_ALL)).isFalse();
    assertThat(s.asSet()).hasSize(withPrefix("RIGHT_APPLICATION_").size());
  }

  @Test
  void gatewayAllImpliesEveryGatewayRight() {
    RightSet s = RightSet.of(RIGHT_GATEWAY_ALL).expanded();
    assertThat(s.asSet()).containsExactlyInAnyOrderElementsOf(withPrefix("RIGHT_GATEWAY_"));
    assertThat(s.includes(RIGHT_GATEWAY_READ_SECRETS)).isTrue();
  }

  @Test
  void userAllImpliesOwnedEntityAllRights() {
    RightSet s = RightSet.of(RIGHT_USER_ALL).expanded();
    assertThat(s.asSet()).containsAll(withPrefix("RIGHT_USER_"));
    assertThat(s.asSet()).containsAll(withPrefix("RIGHT_APPLICATION_"));
    assertThat(s.asSet()).containsAll(withPrefix("RIGHT_GATEWAY_"));
    assertThat(s.asSet()).containsAll(withPrefix("RIGHT_ORGANIZATION_"));
    assertThat(s.asSet()).containsAll(withPrefix("RIGHT_CLIENT_"));
    assertThat(s.includes(RIGHT_ALL)).isFalse();
    assertThat(s.includes(RIGHT_SEND_INVITES)).isFalse();
  }

  @Test
  void allImpliesEverything() {
    RightSet s = RightSet.of(RIGHT_ALL).expanded();
    assertThat(s.asSet()).hasSize(Right.values().length - 2); // minus INVALID, UNRECOGNIZED
    assertThat(s).isEqualTo(RightSet.all());
  }

  @Test
  void linkRights() {
    assertThat(RightSet.of(RIGHT_APPLICATION_LINK).expanded().asSet()).containsExactlyInAnyOrder(
        RIGHT_APPLICATION_LINK, RIGHT_APPLICATION_INFO, RIGHT_APPLICATION_TRAFFIC_READ,
        RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE);
    assertThat(RightSet.of(RIGHT_GATEWAY_LINK).expanded().asSet())
        .containsExactlyInAnyOrder(RIGHT_GATEWAY_LINK, RIGHT_GATEWAY_INFO);
  }

  @Test
  void individualRightsImplyNothing() {
    RightSet s = RightSet.of(RIGHT_APPLICATION_INFO, RIGHT_APPLICATION_TRAFFIC_READ);
    assertThat(s.expanded()).isEqualTo(s);
    // A collaborator with every individual right but not _ALL does not hold _ALL.
    RightSet every = RightSet.of(withPrefix("RIGHT_APPLICATION_").stream()
        .filter(r -> r != RIGHT_APPLICATION_ALL).toList());
    assertThat(every.expanded().includes(RIGHT_APPLICATION_ALL)).isFalse();
  }

  @Test
  void invalidIsNeverAMember() {
    assertThat(RightSet.of(RIGHT_INVALID).isEmpty()).isTrue();
  }

  @Test
  void includesAny() {
    RightSet s = RightSet.of(RIGHT_GATEWAY_ALL).expanded();
    assertThat(s.includesAny(List.of(RIGHT_APPLICATION_TRAFFIC_READ, RIGHT_GATEWAY_TRAFFIC_READ)))
        .isTrue();
    assertThat(s.includesAny(List.of(RIGHT_APPLICATION_TRAFFIC_READ))).isFalse();
    assertThat(s.includesAny(List.of())).isFalse();
  }

  @Test
  void scopedTo() {
    RightSet s = RightSet.of(RIGHT_USER_ALL).expanded();
    assertThat(s.scopedTo(EntityKeys.device("app1", "dev1")).asSet())
        .containsExactlyInAnyOrderElementsOf(withPrefix("RIGHT_APPLICATION_"));
    assertThat(s.scopedTo(EntityKeys.gateway("gw1")).asSet())
        .containsExactlyInAnyOrderElementsOf(withPrefix("RIGHT_GATEWAY_"));
  }

  @Test
  void protoRoundTrip() {
    RightSet s = RightSet.of(RIGHT_GATEWAY_LINK, RIGHT_APPLICATION_INFO);
    assertThat(RightSet.of(s.toProto())).isEqualTo(s);
  }
}
