package dev.loralab.identityserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.PHYVersion;
import dev.loralab.api.v3.RootKeys;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.identityserver.InvalidFieldException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class EntityValidationTest {
  final EntityValidation v = new EntityValidation(id -> id.startsWith("EU_"));

  static KeyEnvelope key(String hex) {
    return KeyEnvelope.newBuilder().setKey(hex).build();
  }

  static EndDevice.Builder otaa() {
    return EndDevice.newBuilder()
        .setIds(EndDeviceIdentifiers.newBuilder().setDeviceId("dev-1")
            .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"))
            .setDevEui("0004a30b001c0530").setJoinEui("70b3d57ed0000000"))
        .setLorawanVersion(MACVersion.MAC_V1_1).setFrequencyPlanId("EU_863_870")
        .setSupportsJoin(true)
        .setRootKeys(RootKeys.newBuilder().setAppKey(key("2b7e151628aed2a6abf7158809cf4f3c"))
            .setNwkKey(key("2B7E151628AED2A6ABF7158809CF4F3C")));
  }

  @Test
  void idsFollowTtsSyntax() {
    assertThat(EntityValidation.id("f", "abc")).isEqualTo("abc");
    assertThat(EntityValidation.id("f", "a-b-c1")).isEqualTo("a-b-c1");
    assertThat(EntityValidation.id("f", "a".repeat(36))).hasSize(36);
    for (String bad : new String[] {"", "ab", "-abc", "abc-", "a--b", "ABC", "a_b", "a".repeat(37), "a b"}) {
      assertThatThrownBy(() -> EntityValidation.id("f", bad))
          .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("invalid f: expected");
    }
  }

  @Test
  void normalizesHexAndDefaultsPhyVersion() {
    EndDevice d = v.endDevice(otaa().build());
    assertThat(d.getIds().getDevEui()).isEqualTo("0004A30B001C0530");
    assertThat(d.getIds().getJoinEui()).isEqualTo("70B3D57ED0000000");
    assertThat(d.getRootKeys().getAppKey().getKey()).isEqualTo("2B7E151628AED2A6ABF7158809CF4F3C");
    assertThat(d.getLorawanPhyVersion()).isEqualTo(PHYVersion.RP001_V1_1_REV_B);
  }

  @Test
  void namesTheFieldAndNeverEchoesKeys() {
    EndDevice.Builder badKey = otaa();
    badKey.getRootKeysBuilder().setAppKey(key("2b7e151628aed2a6abf7158809cf4f3x"));
    assertThatThrownBy(() -> v.endDevice(badKey.build()))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("end_device.root_keys.app_key.key")
        .hasMessageNotContaining("2b7e1516");
    assertThatThrownBy(() -> v.endDevice(otaa().clearRootKeys().setRootKeys(RootKeys.newBuilder()
        .setAppKey(key("2B7E151628AED2A6ABF7158809CF4F3C"))).build()))
        .hasMessageContaining("end_device.root_keys.nwk_key");
    assertThatThrownBy(() -> v.endDevice(otaa().setFrequencyPlanId("US_915").build()))
        .hasMessageContaining("end_device.frequency_plan_id");
    assertThatThrownBy(() -> v.endDevice(otaa().setLorawanVersion(MACVersion.MAC_UNKNOWN).build()))
        .hasMessageContaining("end_device.lorawan_version");
  }

  @Test
  void abpNeedsASessionWithKeysOfItsVersion() {
    EndDevice.Builder abp = otaa().clearRootKeys().setSupportsJoin(false)
        .setLorawanVersion(MACVersion.MAC_V1_0_4);
    assertThatThrownBy(() -> v.endDevice(abp.build())).hasMessageContaining("end_device.session");
    Session.Builder s = Session.newBuilder().setDevAddr("26abcdef").setKeys(SessionKeys.newBuilder()
        .setFNwkSIntKey(key("000102030405060708090A0B0C0D0E0F"))
        .setAppSKey(key("101112131415161718191A1B1C1D1E1F")));
    EndDevice ok = v.endDevice(abp.setSession(s).build());
    assertThat(ok.getIds().getDevAddr()).isEqualTo("26ABCDEF");
    assertThat(ok.getSession().getDevAddr()).isEqualTo("26ABCDEF");
    assertThatThrownBy(() -> v.endDevice(abp.setLorawanVersion(MACVersion.MAC_V1_1).setSession(s).build()))
        .hasMessageContaining("end_device.session.keys.s_nwk_s_int_key");
  }

  @Property
  void idAndHexValidationOnlyEverThrowInvalidField(@ForAll String s) {
    try {
      EntityValidation.id("f", s);
    } catch (InvalidFieldException expected) {
      // fine
    }
    try {
      EntityValidation.hex("f", s, 16);
    } catch (InvalidFieldException expected) {
      // fine
    }
  }
}
