package dev.loralab.joinserver;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.AsJs;
import dev.loralab.api.NsJs;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.AppSKeyResponse;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.JoinResponse;
import dev.loralab.api.v3.SessionKeyRequest;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.Event;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventFactory;
import dev.loralab.events.Ulid;
import dev.loralab.joinserver.JoinServerStore.JoinCommit;
import dev.loralab.joinserver.internal.DeviceSerialExecutor;
import dev.loralab.joinserver.internal.JoinAcceptCipher;
import dev.loralab.joinserver.internal.JoinRejection;
import dev.loralab.joinserver.internal.NonceRules;
import dev.loralab.joinserver.internal.NsJoinRequest;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.crypto.SessionKeys11;
import dev.loralab.lorawan.frame.DlSettings;
import dev.loralab.lorawan.frame.JoinAccept;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Join Server: answers join-requests forwarded by the Network Server ({@link NsJs}) and hands
 * AppSKeys to the Application Server ({@link AsJs}).
 *
 * <p>For each join-request it verifies the MIC with the device's root key, applies the DevNonce
 * rule of the device's LoRaWAN version, allocates the next JoinNonce, derives the session keys
 * (1.0.x: NwkSKey and AppSKey; 1.1 with OptNeg: FNwkSIntKey, SNwkSIntKey, NwkSEncKey, AppSKey),
 * builds and encrypts the join-accept, and stores the nonces and session keys durably
 * (compare-and-set on the device's nonce state) before answering. The answer carries the
 * network session keys and a session key ID, never the AppSKey.
 *
 * <p>Join-requests of one device are processed one at a time, in arrival order, on the given
 * executor; different devices run in parallel. Nothing runs on the caller's thread except the
 * validation of the request message, so the caller may be an event loop.
 *
 * <p>Events: {@link JoinServerEvents#JOIN_ACCEPT}, {@link JoinServerEvents#JOIN_REJECT}.
 * Metrics: {@code js.join.accepted} and {@code js.join.rejected} (tag {@code reason}).
 */
public final class JoinServer implements NsJs, AsJs {

  private static final Logger LOG = LoggerFactory.getLogger(JoinServer.class);
  private static final String HANDLE_JOIN_PREFIX = CorrelationIds.rpcPrefix(NsJs.HANDLE_JOIN);

  private record DeviceKey(Eui64 joinEui, Eui64 devEui) {}

  private final JoinServerConfig config;
  private final JoinServerStore store;
  private final EventBus events;
  private final Clock clock;
  private final RandomGenerator random;
  private final Executor executor;
  private final EventFactory eventFactory;
  private final Ulid ulid;
  private final DeviceSerialExecutor<DeviceKey> serial;
  private final Counter accepted;
  private final Map<JoinRejectReason, Counter> rejected = new EnumMap<>(JoinRejectReason.class);

  /**
   * @param config JoinEUIs served and limits
   * @param store devices, nonces and session keys
   * @param events where {@code js.join.*} events are published
   * @param clock time of sessions and events
   * @param random randomness of session key IDs and correlation IDs (a {@code SecureRandom} in
   *     production)
   * @param executor where joins are processed and the store is called (may block)
   * @param registry metrics
   */
  public JoinServer(JoinServerConfig config, JoinServerStore store, EventBus events, Clock clock,
      RandomGenerator random, Executor executor, MeterRegistry registry) {
    this.config = Objects.requireNonNull(config, "config");
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.executor = Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(registry, "registry");
    this.ulid = new Ulid(clock, random);
    this.eventFactory = new EventFactory(clock, ulid, EventFactory.system().origin());
    this.serial = new DeviceSerialExecutor<>(executor, config.maxPendingJoinsPerDevice());
    this.accepted = Counter.builder("js.join.accepted").description("Join-requests accepted")
        .register(registry);
    for (JoinRejectReason r : JoinRejectReason.values()) {
      rejected.put(r, Counter.builder("js.join.rejected").description("Join-requests rejected")
          .tag("reason", r.tag()).register(registry));
    }
  }

  /** The configuration. */
  public JoinServerConfig config() {
    return config;
  }

  /**
   * Handles a join-request. Completes with the encrypted join-accept and the network session
   * keys, or exceptionally with an {@link ApiException} whose error name
   * ({@link ApiException#name()}) and {@code reason} attribute are a {@link JoinRejectReason#tag()}: NOT_FOUND for an unknown device or JoinEUI, INVALID_ARGUMENT
   * for a MIC mismatch, a reused or too small DevNonce or a malformed request.
   */
  @Override
  public CompletableFuture<JoinResponse> handleJoin(JoinRequest req) {
    CorrelationIds cids = CorrelationIds.of(CorrelationIds.newId(HANDLE_JOIN_PREFIX, ulid));
    NsJoinRequest parsed;
    try {
      parsed = NsJoinRequest.parse(req);
    } catch (JoinRejection r) {
      return CompletableFuture.failedFuture(reject(r, cids, Optional.empty(), null));
    }
    DeviceKey key = new DeviceKey(parsed.frame().joinEui(), parsed.frame().devEui());
    CompletableFuture<JoinResponse> f = serial.submit(key, () -> join(parsed, cids));
    return f.exceptionallyCompose(t -> {
      Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      if (cause instanceof DeviceSerialExecutor.LaneFullException) {
        JoinRejection r = new JoinRejection(JoinRejectReason.TOO_MANY_PENDING,
            "join-requests of device " + key.devEui() + " waiting",
            "at most " + config.maxPendingJoinsPerDevice(), "more");
        return CompletableFuture.failedFuture(reject(r, cids, Optional.empty(), parsed));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  private JoinResponse join(NsJoinRequest r, CorrelationIds cids) {
    Optional<JoinDevice> known = Optional.empty();
    try {
      Eui64 joinEui = r.frame().joinEui();
      Eui64 devEui = r.frame().devEui();
      if (!config.serves(joinEui)) {
        throw new JoinRejection(JoinRejectReason.JOIN_EUI_NOT_SERVED, "JoinEUI",
            "a JoinEUI served by this Join Server", joinEui.toString());
      }
      JoinDevice dev = device(joinEui, devEui);
      known = Optional.of(dev);
      JoinResponse response = accept(r, dev, cids);
      accepted.increment();
      return response;
    } catch (JoinRejection rejection) {
      throw reject(rejection, cids, known.map(JoinDevice::ids), r);
    } catch (LoRaWanException | JoinServerException e) {
      // a stored value the crypto cannot use (e.g. a malformed key)
      JoinRejection rejection = new JoinRejection(JoinRejectReason.DEVICE_MISCONFIGURED,
          e.getMessage());
      throw reject(rejection, cids, known.map(JoinDevice::ids), r);
    } catch (RuntimeException e) {
      LOG.warn("join server store failed for DevEUI {}: {}", r.frame().devEui(), e.toString());
      JoinRejection rejection = new JoinRejection(JoinRejectReason.STORE_FAILURE,
          "store failed: " + e.getClass().getSimpleName());
      throw reject(rejection, cids, known.map(JoinDevice::ids), r);
    }
  }

  private JoinDevice device(Eui64 joinEui, Eui64 devEui) {
    return store.device(joinEui, devEui).orElseThrow(() -> new JoinRejection(
        JoinRejectReason.UNKNOWN_DEVICE, "device",
        "a device with JoinEUI " + joinEui + " and DevEUI " + devEui, "none"));
  }

  private JoinResponse accept(NsJoinRequest r, JoinDevice dev, CorrelationIds cids) {
    Eui64 joinEui = r.frame().joinEui();
    Eui64 devEui = r.frame().devEui();
    DevNonce devNonce = r.frame().devNonce();
    MacVersion deviceVersion = dev.macVersion();
    MacVersion selected = r.selectedMacVersion().orElse(deviceVersion);
    if (selected.is1_1() && !deviceVersion.is1_1()) {
      throw new JoinRejection(JoinRejectReason.MAC_VERSION_MISMATCH, "selected_mac_version",
          "at most the device's LoRaWAN " + deviceVersion, selected.text());
    }
    boolean optNeg = deviceVersion.is1_1() && selected.is1_1();
    // a 1.1 device computes the join-request MIC with its NwkKey in any network (1.1 §6.2.2);
    // with OptNeg=0 it also derives 1.0 keys and decrypts the accept with it (1.1 §6.2.3)
    AesKey rootKey = deviceVersion.is1_1() ? dev.nwkKey().orElseThrow() : dev.appKey();
    Mic expectedMic = Mics.joinRequestMic(rootKey, r.rawWithoutMic());
    if (!Mics.equalsConstantTime(expectedMic, r.frame().mic())) {
      throw new JoinRejection(JoinRejectReason.MIC_MISMATCH, "join-request MIC",
          "a MIC computed with the device's " + (deviceVersion.is1_1() ? "NwkKey" : "AppKey")
              + " (MIC mismatch)", r.frame().mic().toString());
    }
    DeviceNonces updated = NonceRules.accept(deviceVersion, devNonce, dev.nonces(),
        config.devNonceHistorySize());
    JoinNonce joinNonce = updated.lastJoinNonce();
    JoinAccept fields = new JoinAccept(joinNonce, r.netId(), r.devAddr(),
        new DlSettings(optNeg, r.rx1DrOffset(), r.rx2DataRate()), r.rxDelay(), r.cfList(),
        new Mic(0));
    SessionKeys11 keys;
    byte[] phy;
    if (optNeg) {
      AesKey nwkKey = rootKey;
      keys = SessionKeyDerivation.derive11(nwkKey, dev.appKey(), joinNonce, joinEui, devNonce);
      phy = JoinAcceptCipher.seal11(fields, SessionKeyDerivation.jsIntKey(nwkKey, devEui), nwkKey,
          joinEui, devNonce);
    } else {
      keys = SessionKeyDerivation.derive10(rootKey, joinNonce, r.netId(), devNonce).asLegacy11();
      phy = JoinAcceptCipher.seal10(fields, rootKey);
    }
    SessionKeyId id = newSessionKeyId();
    JoinSession session = new JoinSession(id, joinEui, devEui, keys, optNeg, clock.instant());
    if (!store.commitJoin(new JoinCommit(joinEui, devEui, dev.nonces(), updated, session))) {
      throw new JoinRejection(JoinRejectReason.CONCURRENT_UPDATE, "device nonce state",
          "unchanged since it was read", "a concurrent update");
    }
    EndDeviceIdentifiers ids = dev.ids().toBuilder().setDevAddr(r.devAddr().toString()).build();
    publish(eventFactory.create(JoinServerEvents.JOIN_ACCEPT, cids, null,
        EntityKeys.entity(ids)));
    LOG.debug("join-request accepted: DevEUI {}, JoinEUI {}, DevNonce {}, JoinNonce {}, OptNeg {}",
        devEui, joinEui, devNonce, joinNonce, optNeg);
    return response(r, phy, keys, optNeg, id);
  }

  private JoinResponse response(NsJoinRequest r, byte[] phy, SessionKeys11 keys, boolean optNeg,
      SessionKeyId id) {
    SessionKeys.Builder sk = SessionKeys.newBuilder()
        .setSessionKeyId(ByteString.copyFrom(id.toBytes()))
        // 1.0.x: the NwkSKey travels as FNwkSIntKey (The Things Stack convention)
        .setFNwkSIntKey(EndDeviceJoinFields.envelope(keys.fNwkSIntKey()));
    if (optNeg) {
      sk.setSNwkSIntKey(EndDeviceJoinFields.envelope(keys.sNwkSIntKey()))
          .setNwkSEncKey(EndDeviceJoinFields.envelope(keys.nwkSEncKey()));
    }
    // the AppSKey is never sent to the Network Server: the Application Server fetches it
    JoinResponse.Builder b = JoinResponse.newBuilder()
        .setRawPayload(ByteString.copyFrom(phy))
        .setSessionKeys(sk)
        .addAllCorrelationIds(r.correlationIds());
    if (!config.sessionKeyLifetime().isZero()) {
      b.setLifetime(com.google.protobuf.Duration.newBuilder()
          .setSeconds(config.sessionKeyLifetime().getSeconds())
          .setNanos(config.sessionKeyLifetime().getNano()));
    }
    return b.build();
  }

  /**
   * Returns the AppSKey of a session. NOT_FOUND if the session key ID is unknown (or was
   * forgotten), or if the request names another DevEUI or JoinEUI than the session's;
   * INVALID_ARGUMENT for a malformed ID or EUI.
   */
  @Override
  public CompletableFuture<AppSKeyResponse> getAppSKey(SessionKeyRequest req) {
    return CompletableFuture.supplyAsync(() -> appSKey(req), executor);
  }

  private AppSKeyResponse appSKey(SessionKeyRequest req) {
    ByteString raw = req.getSessionKeyId();
    if (raw.size() != SessionKeyId.SIZE) {
      throw ApiException.invalidArgument("session_key_id",
          "expected " + SessionKeyId.SIZE + " bytes, found " + raw.size() + " bytes");
    }
    SessionKeyId id = SessionKeyId.of(raw.toByteArray());
    Optional<Eui64> devEui = eui(req.getDevEui(), "dev_eui");
    Optional<Eui64> joinEui = eui(req.getJoinEui(), "join_eui");
    Optional<JoinSession> session = store.session(id)
        .filter(s -> devEui.map(s.devEui()::equals).orElse(true))
        .filter(s -> joinEui.map(s.joinEui()::equals).orElse(true));
    JoinSession s = session.orElseThrow(() -> ApiException.notFound("session key " + id));
    return AppSKeyResponse.newBuilder()
        .setAppSKey(EndDeviceJoinFields.envelope(s.keys().appSKey())).build();
  }

  private static Optional<Eui64> eui(String hex, String field) {
    if (hex.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Eui64.parse(hex));
    } catch (LoRaWanException e) {
      throw ApiException.invalidArgument(field, "expected 16 hex digits, found \"" + hex + "\"");
    }
  }

  private ApiException reject(JoinRejection r, CorrelationIds cids,
      Optional<EndDeviceIdentifiers> ids, NsJoinRequest req) {
    Counter c = rejected.get(r.reason());
    c.increment();
    if (LOG.isDebugEnabled()) {
      LOG.debug("join-request rejected{}: {}",
          req == null ? "" : " (DevEUI " + req.frame().devEui() + ", JoinEUI "
              + req.frame().joinEui() + ")", r.getMessage());
    }
    EntityIdentifiers[] entities = ids.map(i -> new EntityIdentifiers[] {EntityKeys.entity(i)})
        .orElse(new EntityIdentifiers[0]);
    publish(eventFactory.create(JoinServerEvents.JOIN_REJECT, cids, r.toErrorDetails(), entities));
    return r.toApiException();
  }

  private void publish(Event e) {
    try {
      events.publish(e);
    } catch (RuntimeException ex) {
      LOG.debug("could not publish {}: {}", e.name(), ex.toString());
    }
  }

  /** A ULID as 16 bytes: 48-bit milliseconds then 80 random bits. */
  private SessionKeyId newSessionKeyId() {
    byte[] b = new byte[SessionKeyId.SIZE];
    random.nextBytes(b);
    long ms = clock.millis();
    for (int i = 5; i >= 0; i--) {
      b[i] = (byte) ms;
      ms >>>= 8;
    }
    return SessionKeyId.of(b);
  }
}
