package dev.loralab.joinserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.RootKeys;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.crypto.SessionKeys11;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EndDeviceJoinFieldsTest {

  private static EndDevice.Builder device() {
    return EndDevice.newBuilder().setIds(JoinFixture.ids())
        .setLorawanVersion(MACVersion.MAC_V1_1)
        .setRootKeys(RootKeys.newBuilder()
            .setAppKey(KeyEnvelope.newBuilder().setKey(JoinFixture.APP_KEY.toHex()))
            .setNwkKey(KeyEnvelope.newBuilder().setKey(JoinFixture.NWK_KEY.toHex())));
  }

  @Test
  void readsANeverJoinedDevice() {
    JoinDevice d = EndDeviceJoinFields.toJoinDevice(device().build(), 10);
    assertThat(d.macVersion()).isEqualTo(MacVersion.V1_1);
    assertThat(d.appKey()).isEqualTo(JoinFixture.APP_KEY);
    assertThat(d.nwkKey()).contains(JoinFixture.NWK_KEY);
    assertThat(d.nonces()).isEqualTo(DeviceNonces.initial());
    assertThat(d.devEui()).isEqualTo(JoinFixture.DEV_EUI);
  }

  @Test
  void noncesRoundTrip() {
    DeviceNonces n = new DeviceNonces(new JoinNonce(7), Optional.of(new DevNonce(0xAF7C)),
        List.of(new DevNonce(1), new DevNonce(0xAF7C)));
    EndDevice e = EndDeviceJoinFields.withNonces(device().build(), n);
    assertThat(e.getLastJoinNonce()).isEqualTo(7);
    assertThat(e.getLastDevNonce()).isEqualTo(0xAF7C);
    assertThat(e.getUsedDevNoncesList()).containsExactly(1, 0xAF7C);
    assertThat(EndDeviceJoinFields.toJoinDevice(e, 10).nonces()).isEqualTo(n);
    // a longer stored history keeps the newest values
    assertThat(EndDeviceJoinFields.toJoinDevice(e, 1).nonces().usedDevNonces())
        .containsExactly(new DevNonce(0xAF7C));
  }

  @Test
  void sessionKeysRoundTrip() {
    SessionKeys11 keys = new SessionKeys11(AesKey.parse("01".repeat(16)),
        AesKey.parse("02".repeat(16)), AesKey.parse("03".repeat(16)),
        AesKey.parse("04".repeat(16)));
    JoinSession s = new JoinSession(SessionKeyId.of(new byte[16]), JoinFixture.JOIN_EUI,
        JoinFixture.DEV_EUI, keys, true, Instant.ofEpochSecond(1657011666, 998));
    SessionKeys proto = EndDeviceJoinFields.toSessionKeys(s);
    assertThat(proto.getAppSKey().getKey()).isEqualTo("04".repeat(16));
    assertThat(EndDeviceJoinFields.fromSessionKeys(proto, s.joinEui(), s.devEui(), true,
        Timestamp.newBuilder().setSeconds(1657011666).setNanos(998).build())).isEqualTo(s);
    assertThatThrownBy(() -> EndDeviceJoinFields.fromSessionKeys(
        proto.toBuilder().clearAppSKey().build(), s.joinEui(), s.devEui(), true,
        Timestamp.getDefaultInstance()))
        .isInstanceOfSatisfying(JoinServerException.class,
            e -> assertThat(e.field()).isEqualTo("app_s_key.key"));
  }

  @Test
  void unusableRecordsNameTheField() {
    assertUnusable(b -> b.setLorawanVersion(MACVersion.MAC_UNKNOWN), "lorawan_version");
    assertUnusable(b -> b.setRootKeys(RootKeys.getDefaultInstance()), "root_keys.app_key.key");
    assertUnusable(b -> b.setRootKeys(b.getRootKeys().toBuilder()
        .setAppKey(KeyEnvelope.newBuilder().setKey("ABC"))), "root_keys.app_key.key");
    assertUnusable(b -> b.setRootKeys(b.getRootKeys().toBuilder()
        .setAppKey(KeyEnvelope.newBuilder().setKey("Z".repeat(32)))), "root_keys.app_key.key");
    assertUnusable(b -> b.setRootKeys(b.getRootKeys().toBuilder()
        .setNwkKey(KeyEnvelope.newBuilder().setKekLabel("kek1")
            .setEncryptedKey(ByteString.copyFrom(new byte[24])))), "root_keys.nwk_key");
    assertUnusable(b -> b.setRootKeys(b.getRootKeys().toBuilder().clearNwkKey()),
        "root_keys.nwk_key");
    assertUnusable(b -> b.setIds(b.getIds().toBuilder().setDevEui("")), "ids.dev_eui");
    assertUnusable(b -> b.setLastJoinNonce(0x1000000), "last_join_nonce");
    assertUnusable(b -> b.setLastJoinNonce(1).setLastDevNonce(0x10000), "last_dev_nonce");
    assertUnusable(b -> b.addUsedDevNonces(-1), "used_dev_nonces[0]");
  }

  private static void assertUnusable(UnaryOperator<EndDevice.Builder> change, String field) {
    EndDevice d = change.apply(device()).build();
    assertThatThrownBy(() -> EndDeviceJoinFields.toJoinDevice(d, 10))
        .isInstanceOfSatisfying(JoinServerException.class,
            e -> assertThat(e.field()).isEqualTo(field));
  }

  /** Arbitrary nonce fields either convert or raise JoinServerException, nothing else. */
  @Property(tries = 300)
  void arbitraryNonceFieldsOnlyRaiseJoinServerException(@ForAll int lastJoinNonce,
      @ForAll int lastDevNonce, @ForAll @Size(max = 20) List<@IntRange(min = -2, max = 0x10001)
          Integer> used, @ForAll @IntRange(min = 1, max = 30) int max) {
    EndDevice d = device().setLastJoinNonce(lastJoinNonce).setLastDevNonce(lastDevNonce)
        .addAllUsedDevNonces(used).build();
    try {
      JoinDevice j = EndDeviceJoinFields.toJoinDevice(d, max);
      assertThat(j.nonces().usedDevNonces().size()).isLessThanOrEqualTo(max);
    } catch (JoinServerException e) {
      assertThat(e.field()).isNotBlank();
    }
  }
}
