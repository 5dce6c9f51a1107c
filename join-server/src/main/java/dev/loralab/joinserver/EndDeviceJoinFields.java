package dev.loralab.joinserver;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.crypto.SessionKeys11;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Conversions between the registry's {@code ttn.lorawan.v3.EndDevice} and the Join Server's
 * types, for a {@link JoinServerStore} backed by the device registry. Pure functions.
 *
 * <p>Read: {@code ids} (dev_eui, join_eui required), {@code lorawan_version},
 * {@code root_keys.app_key.key}, {@code root_keys.nwk_key.key} (plain keys only; wrapped keys are
 * refused), {@code last_join_nonce}, {@code last_dev_nonce}, {@code used_dev_nonces}. Written:
 * {@code last_join_nonce}, {@code last_dev_nonce}, {@code used_dev_nonces}. A device that never
 * joined has {@code last_join_nonce = 0} (the first JoinNonce issued is 1), which is how the
 * absence of {@code last_dev_nonce} is encoded.
 */
public final class EndDeviceJoinFields {

  private EndDeviceJoinFields() {}

  /**
   * The Join Server's view of a registry device.
   *
   * @param maxUsedDevNonces the DevNonce history bound: a longer stored list keeps its newest
   *     (last) values
   * @throws JoinServerException naming the field if the record is unusable for joins
   */
  public static JoinDevice toJoinDevice(EndDevice d, int maxUsedDevNonces) {
    if (d == null) {
      throw new JoinServerException("end_device", "an EndDevice", "null");
    }
    MacVersion version = macVersion(d.getLorawanVersion());
    AesKey appKey = key(d.getRootKeys().getAppKey(), "root_keys.app_key")
        .orElseThrow(() -> new JoinServerException("root_keys.app_key.key", "32 hex digits",
            "none"));
    Optional<AesKey> nwkKey = key(d.getRootKeys().getNwkKey(), "root_keys.nwk_key");
    return new JoinDevice(d.getIds(), version, appKey, nwkKey, nonces(d, maxUsedDevNonces));
  }

  /** {@code d} with the nonce fields of {@code nonces}. */
  public static EndDevice withNonces(EndDevice d, DeviceNonces nonces) {
    EndDevice.Builder b = d.toBuilder()
        .setLastJoinNonce(nonces.lastJoinNonce().value())
        .setLastDevNonce(nonces.lastDevNonce().map(DevNonce::value).orElse(0))
        .clearUsedDevNonces();
    for (DevNonce n : nonces.usedDevNonces()) {
      b.addUsedDevNonces(n.value());
    }
    return b.build();
  }

  /** All four session keys with the session key ID, for storage (never for the NS or events). */
  public static SessionKeys toSessionKeys(JoinSession s) {
    return SessionKeys.newBuilder()
        .setSessionKeyId(ByteString.copyFrom(s.id().toBytes()))
        .setFNwkSIntKey(envelope(s.keys().fNwkSIntKey()))
        .setSNwkSIntKey(envelope(s.keys().sNwkSIntKey()))
        .setNwkSEncKey(envelope(s.keys().nwkSEncKey()))
        .setAppSKey(envelope(s.keys().appSKey()))
        .build();
  }

  /**
   * A stored session back from {@link #toSessionKeys}.
   *
   * @throws JoinServerException naming the field if a key or the ID is malformed
   */
  public static JoinSession fromSessionKeys(SessionKeys k, Eui64 joinEui, Eui64 devEui,
      boolean optNeg, Timestamp createdAt) {
    ByteString id = k.getSessionKeyId();
    if (id.size() != SessionKeyId.SIZE) {
      throw new JoinServerException("session_key_id", SessionKeyId.SIZE + " bytes",
          id.size() + " bytes");
    }
    SessionKeys11 keys = new SessionKeys11(required(k.getFNwkSIntKey(), "f_nwk_s_int_key"),
        required(k.getSNwkSIntKey(), "s_nwk_s_int_key"),
        required(k.getNwkSEncKey(), "nwk_s_enc_key"), required(k.getAppSKey(), "app_s_key"));
    return new JoinSession(SessionKeyId.of(id.toByteArray()), joinEui, devEui, keys, optNeg,
        Instant.ofEpochSecond(createdAt.getSeconds(), createdAt.getNanos()));
  }

  private static DeviceNonces nonces(EndDevice d, int maxUsed) {
    int lastJoinNonce = d.getLastJoinNonce();
    if (Integer.compareUnsigned(lastJoinNonce, 0xFFFFFF) > 0) {
      throw new JoinServerException("last_join_nonce", "a 24-bit value",
          Integer.toUnsignedString(lastJoinNonce));
    }
    Optional<DevNonce> last = Optional.empty();
    if (lastJoinNonce != 0) {
      last = Optional.of(devNonce(d.getLastDevNonce(), "last_dev_nonce"));
    }
    List<Integer> raw = d.getUsedDevNoncesList();
    int from = Math.max(0, raw.size() - maxUsed);
    List<DevNonce> used = new ArrayList<>(raw.size() - from);
    Set<DevNonce> seen = new HashSet<>();
    for (int i = from; i < raw.size(); i++) {
      DevNonce n = devNonce(raw.get(i), "used_dev_nonces[" + i + "]");
      if (seen.add(n)) {
        used.add(n);
      }
    }
    return new DeviceNonces(new JoinNonce(lastJoinNonce), last, used);
  }

  private static DevNonce devNonce(int v, String field) {
    if (Integer.compareUnsigned(v, 0xFFFF) > 0) {
      throw new JoinServerException(field, "a 16-bit DevNonce", Integer.toUnsignedString(v));
    }
    return new DevNonce(v);
  }

  private static MacVersion macVersion(MACVersion v) {
    if (v == MACVersion.MAC_UNKNOWN || v == MACVersion.UNRECOGNIZED) {
      throw new JoinServerException("lorawan_version", "a known LoRaWAN version", v.name());
    }
    return MacVersion.parse(v.name()); // parses The Things Stack's MAC_V1_0_3 form
  }

  private static Optional<AesKey> key(KeyEnvelope e, String field) {
    if (!e.getKekLabel().isEmpty() || !e.getEncryptedKey().isEmpty()) {
      throw new JoinServerException(field, "a plain key", "a wrapped key (KEK "
          + e.getKekLabel() + ")");
    }
    if (e.getKey().isEmpty()) {
      return Optional.empty();
    }
    // size before parsing: 32 hex digits
    if (e.getKey().length() != 2 * AesKey.SIZE) {
      throw new JoinServerException(field + ".key", "32 hex digits",
          e.getKey().length() + " characters");
    }
    try {
      return Optional.of(AesKey.parse(e.getKey()));
    } catch (LoRaWanException ex) {
      throw new JoinServerException(field + ".key", "32 hex digits", "non-hex characters");
    }
  }

  private static AesKey required(KeyEnvelope e, String field) {
    return key(e, field).orElseThrow(() -> new JoinServerException(field + ".key",
        "32 hex digits", "none"));
  }

  /** A plain key envelope: 32 uppercase hex digits. */
  static KeyEnvelope envelope(AesKey k) {
    return KeyEnvelope.newBuilder().setKey(k.toHex()).build();
  }
}
