package dev.loralab.identityserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.RootKeys;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.identityserver.InvalidFieldException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldMasksTest {
  static final Application APP = Application.newBuilder()
      .setIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"))
      .setCreatedAt(Timestamp.newBuilder().setSeconds(1))
      .setName("name").setDescription("desc").putAttributes("k", "v").build();

  @Test
  void projectKeepsIdsAndTimestamps() {
    Application p = FieldMasks.project(APP, List.of("description"));
    assertThat(p.getName()).isEmpty();
    assertThat(p.getDescription()).isEqualTo("desc");
    assertThat(p.getIds().getApplicationId()).isEqualTo("app1");
    assertThat(p.getCreatedAt().getSeconds()).isEqualTo(1);
    assertThat(FieldMasks.project(APP, List.of())).isEqualTo(APP);
  }

  @Test
  void mergeReplacesOnlyMaskedFieldsIncludingClearing() {
    Application patch = Application.newBuilder().setName("").setDescription("new").build();
    Application merged = FieldMasks.merge(APP, patch, List.of("name", "attributes"));
    assertThat(merged.getName()).isEmpty();
    assertThat(merged.getAttributesMap()).isEmpty();
    assertThat(merged.getDescription()).isEqualTo("desc");
  }

  @Test
  void validateNamesUnknownPaths() {
    assertThat(FieldMasks.validate(Application.getDescriptor(), List.of(" name ", ""))).containsExactly("name");
    assertThatThrownBy(() -> FieldMasks.validate(Application.getDescriptor(), List.of("nope")))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("field_mask.paths")
        .hasMessageContaining("'nope'");
  }

  @Test
  void deviceSecretsAreDetectedAndStripped() {
    assertThat(FieldMasks.selectsDeviceSecrets(List.of("session"))).isTrue();
    assertThat(FieldMasks.selectsDeviceSecrets(List.of("session.keys.app_s_key"))).isTrue();
    assertThat(FieldMasks.selectsDeviceSecrets(List.of("root_keys"))).isTrue();
    assertThat(FieldMasks.selectsDeviceSecrets(List.of("session.dev_addr", "mac_settings"))).isFalse();
    KeyEnvelope k = KeyEnvelope.newBuilder().setKey("00".repeat(16)).build();
    EndDevice d = EndDevice.newBuilder().setRootKeys(RootKeys.newBuilder().setAppKey(k))
        .setSession(Session.newBuilder().setDevAddr("01020304").setKeys(SessionKeys.newBuilder().setAppSKey(k)))
        .setPendingSession(Session.newBuilder().setKeys(SessionKeys.newBuilder().setAppSKey(k))).build();
    assertThat(FieldMasks.hasDeviceSecrets(d)).isTrue();
    EndDevice stripped = FieldMasks.withoutSecrets(d);
    assertThat(FieldMasks.hasDeviceSecrets(stripped)).isFalse();
    assertThat(stripped.getSession().getDevAddr()).isEqualTo("01020304");
  }
}
