package dev.loralab.cli.stack.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.Session;
import dev.loralab.identityserver.EndDeviceRegistry;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.joinserver.DeviceNonces;
import dev.loralab.joinserver.EndDeviceJoinFields;
import dev.loralab.joinserver.JoinDevice;
import dev.loralab.joinserver.JoinServerException;
import dev.loralab.joinserver.JoinServerStore;
import dev.loralab.joinserver.JoinSession;
import dev.loralab.joinserver.SessionKeyId;
import dev.loralab.lorawan.Eui64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The join server's {@link JoinServerStore} over the identity server's {@link EndDeviceRegistry}
 * (root keys and nonces live in the device record) and a {@code js-sessions} namespace of the same
 * database (session keys by session key ID).
 *
 * <p>{@link #commitJoin} first stores the session durably, then compares and sets the nonces in
 * one serialized, durable device update; if the nonces changed meanwhile the session is removed
 * again. A crash in between leaves at most an unused session record, never a reused JoinNonce.
 */
public final class RegistryJoinServerStore implements JoinServerStore {

  static final Namespace SESSIONS = Namespace.of("js-sessions");
  private static final String OPT_NEG = "opt_neg";

  private final EndDeviceRegistry devices;
  private final KeyValueStore store;
  private final int maxUsedDevNonces;

  /**
   * @param devices          the device registry
   * @param store            the database holding the sessions namespace
   * @param maxUsedDevNonces DevNonce history bound (the join server's configuration)
   */
  public RegistryJoinServerStore(EndDeviceRegistry devices, KeyValueStore store, int maxUsedDevNonces) {
    this.devices = Objects.requireNonNull(devices, "devices");
    this.store = Objects.requireNonNull(store, "store");
    this.maxUsedDevNonces = maxUsedDevNonces;
  }

  @Override
  public Optional<JoinDevice> device(Eui64 joinEui, Eui64 devEui) {
    return devices.getByEui(joinEui.toString(), devEui.toString())
        .filter(EndDevice::getSupportsJoin)
        .map(d -> EndDeviceJoinFields.toJoinDevice(d, maxUsedDevNonces));
  }

  @Override
  public boolean commitJoin(JoinCommit commit) {
    Optional<EndDevice> current = devices.getByEui(commit.joinEui().toString(), commit.devEui().toString());
    if (current.isEmpty()) {
      return false;
    }
    String key = key(commit.session().id());
    store.put(SESSIONS, key, encode(commit.session()).toByteString(), Durability.DURABLE);
    EndDeviceIdentifiers ids = current.get().getIds();
    try {
      devices.update(ids, d -> {
        DeviceNonces now = EndDeviceJoinFields.toJoinDevice(d, maxUsedDevNonces).nonces();
        if (!now.equals(commit.expected()) || !d.getIds().getDevEui().equals(ids.getDevEui())) {
          throw new NoncesChanged();
        }
        return EndDeviceJoinFields.withNonces(d, commit.updated());
      }, Durability.DURABLE);
      return true;
    } catch (NoncesChanged | EntityNotFoundException | JoinServerException e) {
      store.delete(SESSIONS, key, Durability.BUFFERED);
      return false;
    }
  }

  @Override
  public Optional<JoinSession> session(SessionKeyId id) {
    return store.get(SESSIONS, key(id)).map(bytes -> {
      try {
        return decode(EndDevice.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        throw new JoinServerException("js-sessions/" + key(id), "a stored session", "undecodable bytes");
      }
    });
  }

  static String key(SessionKeyId id) {
    return HexFormat.of().withUpperCase().formatHex(id.toBytes());
  }

  /** A session as a small EndDevice record: EUIs, session keys, start time, OptNeg attribute. */
  static EndDevice encode(JoinSession s) {
    return EndDevice.newBuilder()
        .setIds(EndDeviceIdentifiers.newBuilder().setJoinEui(s.joinEui().toString()).setDevEui(s.devEui().toString()))
        .setSession(Session.newBuilder().setKeys(EndDeviceJoinFields.toSessionKeys(s))
            .setStartedAt(Timestamp.newBuilder().setSeconds(s.createdAt().getEpochSecond())
                .setNanos(s.createdAt().getNano())))
        .putAttributes(OPT_NEG, Boolean.toString(s.optNeg()))
        .build();
  }

  static JoinSession decode(EndDevice d) {
    Eui64 joinEui = Eui64.parse(d.getIds().getJoinEui());
    Eui64 devEui = Eui64.parse(d.getIds().getDevEui());
    return EndDeviceJoinFields.fromSessionKeys(d.getSession().getKeys(), joinEui, devEui,
        Boolean.parseBoolean(d.getAttributesOrDefault(OPT_NEG, "false")), d.getSession().getStartedAt());
  }

  /** Aborts the device update: the nonces are not those the join server read. */
  private static final class NoncesChanged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoncesChanged() {
      super("nonces changed", null, false, false);
    }
  }
}
