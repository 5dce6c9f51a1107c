package dev.loralab.joinserver;

import static dev.loralab.joinserver.JoinFixture.APP_KEY;
import static dev.loralab.joinserver.JoinFixture.DEV_EUI;
import static dev.loralab.joinserver.JoinFixture.DIRECT;
import static dev.loralab.joinserver.JoinFixture.JOIN_EUI;
import static dev.loralab.joinserver.JoinFixture.NWK_KEY;
import static dev.loralab.joinserver.JoinFixture.WRONG_KEY;
import static dev.loralab.joinserver.JoinFixture.decryptJoinAccept;
import static dev.loralab.joinserver.JoinFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.AppSKeyResponse;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.JoinResponse;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.SessionKeyRequest;
import dev.loralab.events.Event;
import dev.loralab.events.testing.RecordingEventBus;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.crypto.SessionKeys10;
import dev.loralab.lorawan.crypto.SessionKeys11;
import dev.loralab.lorawan.frame.CfList;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JoinServerTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-07-05T09:01:06.998Z"),
      ZoneOffset.UTC);
  private static final String RPC_PREFIX = "rpc:/ttn.lorawan.v3.NsJs/HandleJoin:";

  private final InMemoryJoinServerStore store = new InMemoryJoinServerStore();
  private final RecordingEventBus bus = new RecordingEventBus();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private long seed = 7;

  private JoinServer server(JoinServerConfig config) {
    // every instance gets other randomness, as a restarted process would
    return new JoinServer(config, store, bus, CLOCK, new SplittableRandom(seed++), DIRECT,
        registry);
  }

  private JoinServer server() {
    return server(JoinServerConfig.defaults());
  }

  private static JoinResponse join(JoinServer js, dev.loralab.api.v3.JoinRequest req) {
    try {
      return js.handleJoin(req).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("join failed: " + e, e);
    }
  }

  private static ApiException refusal(JoinServer js, dev.loralab.api.v3.JoinRequest req) {
    Throwable t = catchThrowable(() -> js.handleJoin(req).get(30, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(ApiException.class);
    return (ApiException) t.getCause();
  }

  private static String reason(ApiException e) {
    String reason = e.attributes().getFieldsOrThrow("reason").getStringValue();
    // the reason is also the error name the Network Server shows in ns.up.join.cluster.fail
    assertThat(e.name()).isEqualTo(reason);
    assertThat(e.toErrorDetails().getName()).isEqualTo(reason);
    return reason;
  }

  private double rejected(String reason) {
    return registry.get("js.join.rejected").tag("reason", reason).counter().count();
  }

  @Test
  void accepts103JoinWithKeysEqualToDerivation() throws Exception {
    store.put(JoinFixture.device10(MacVersion.V1_0_3));
    JoinServer js = server();

    JoinResponse res = join(js, request(APP_KEY, 0xAF7C, MACVersion.MAC_V1_0_3));

    byte[] clear = decryptJoinAccept(res.getRawPayload().toByteArray(), APP_KEY);
    JoinAccept ja = PhyPayloadCodec.decodeJoinAccept(clear);
    assertThat(ja.joinNonce()).isEqualTo(new JoinNonce(1));
    assertThat(ja.netId()).isEqualTo(NetId.parse("000013"));
    assertThat(ja.devAddr()).isEqualTo(DevAddr.parse("00FF52E3"));
    assertThat(ja.dlSettings().optNeg()).isFalse();
    assertThat(ja.dlSettings().rx1DrOffset()).isEqualTo(1);
    assertThat(ja.dlSettings().rx2DataRate()).isEqualTo(3);
    assertThat(ja.rxDelay()).isEqualTo(5);
    assertThat(ja.cfList()).contains(CfList.Frequencies.of(867_100_000L, 867_300_000L,
        867_500_000L, 867_700_000L, 867_900_000L));
    assertThat(ja.mic()).isEqualTo(
        Mics.joinAcceptMic10(APP_KEY, Arrays.copyOf(clear, clear.length - 4)));

    SessionKeys10 expected = SessionKeyDerivation.derive10(APP_KEY, new JoinNonce(1),
        NetId.parse("000013"), new DevNonce(0xAF7C));
    assertThat(res.getSessionKeys().getFNwkSIntKey().getKey())
        .isEqualTo(expected.nwkSKey().toHex());
    assertThat(res.getSessionKeys().hasAppSKey()).isFalse();
    assertThat(res.getSessionKeys().hasSNwkSIntKey()).isFalse();
    assertThat(res.getSessionKeys().getSessionKeyId().size()).isEqualTo(16);
    assertThat(res.getCorrelationIdsList()).containsExactly("ns:uplink:01G76SF01C64KZ26CKK4SK5G10");

    AppSKeyResponse as = js.getAppSKey(SessionKeyRequest.newBuilder()
        .setSessionKeyId(res.getSessionKeys().getSessionKeyId())
        .setDevEui(DEV_EUI.toString()).setJoinEui(JOIN_EUI.toString()).build())
        .get(30, TimeUnit.SECONDS);
    assertThat(as.getAppSKey().getKey()).isEqualTo(expected.appSKey().toHex());

    // js.join.accept: only the HandleJoin correlation ID, device ids with the new DevAddr, no data
    List<Event> accepts = bus.named("js.join.accept");
    assertThat(accepts).hasSize(1);
    Event e = accepts.get(0);
    assertThat(e.data()).isNull();
    assertThat(e.correlationIds().asList()).singleElement()
        .satisfies(id -> assertThat(id).startsWith(RPC_PREFIX).hasSize(RPC_PREFIX.length() + 26));
    assertThat(e.identifiers()).singleElement().satisfies(id -> {
      assertThat(id.getDeviceIds().getDevEui()).isEqualTo("70B3D57ED0050EAD");
      assertThat(id.getDeviceIds().getJoinEui()).isEqualTo("70B3D57ED0000001");
      assertThat(id.getDeviceIds().getDevAddr()).isEqualTo("00FF52E3");
      assertThat(id.getDeviceIds().getDeviceId()).isEqualTo("dev2");
    });
    assertThat(e.time()).isEqualTo(CLOCK.instant());
    assertThat(registry.get("js.join.accepted").counter().count()).isEqualTo(1.0);
  }

  @Test
  void accepts11OptNegJoinWithJsIntKeyMicAndDerivedKeys() throws Exception {
    store.put(JoinFixture.device11());
    JoinServer js = server();

    JoinResponse res = join(js, request(NWK_KEY, 0, MACVersion.MAC_V1_1));

    byte[] clear = decryptJoinAccept(res.getRawPayload().toByteArray(), NWK_KEY);
    JoinAccept ja = PhyPayloadCodec.decodeJoinAccept(clear);
    assertThat(ja.dlSettings().optNeg()).isTrue();
    assertThat(ja.joinNonce()).isEqualTo(new JoinNonce(1));
    AesKey jsIntKey = SessionKeyDerivation.jsIntKey(NWK_KEY, DEV_EUI);
    assertThat(ja.mic()).isEqualTo(Mics.joinAcceptMic11(jsIntKey, 0xFF, JOIN_EUI,
        new DevNonce(0), Arrays.copyOf(clear, clear.length - 4)));

    SessionKeys11 expected = SessionKeyDerivation.derive11(NWK_KEY, APP_KEY, new JoinNonce(1),
        JOIN_EUI, new DevNonce(0));
    assertThat(res.getSessionKeys().getFNwkSIntKey().getKey())
        .isEqualTo(expected.fNwkSIntKey().toHex());
    assertThat(res.getSessionKeys().getSNwkSIntKey().getKey())
        .isEqualTo(expected.sNwkSIntKey().toHex());
    assertThat(res.getSessionKeys().getNwkSEncKey().getKey())
        .isEqualTo(expected.nwkSEncKey().toHex());
    assertThat(res.getSessionKeys().hasAppSKey()).isFalse();
    AppSKeyResponse as = js.getAppSKey(SessionKeyRequest.newBuilder()
        .setSessionKeyId(res.getSessionKeys().getSessionKeyId()).build())
        .get(30, TimeUnit.SECONDS);
    assertThat(as.getAppSKey().getKey()).isEqualTo(expected.appSKey().toHex());
  }

  @Test
  void a11DeviceOnA10NetworkUsesItsNwkKeyWithoutOptNeg() {
    store.put(JoinFixture.device11());
    JoinResponse res = join(server(), request(NWK_KEY, 3, MACVersion.MAC_V1_0_3));

    byte[] clear = decryptJoinAccept(res.getRawPayload().toByteArray(), NWK_KEY);
    JoinAccept ja = PhyPayloadCodec.decodeJoinAccept(clear);
    assertThat(ja.dlSettings().optNeg()).isFalse();
    assertThat(ja.mic()).isEqualTo(
        Mics.joinAcceptMic10(NWK_KEY, Arrays.copyOf(clear, clear.length - 4)));
    SessionKeys10 expected = SessionKeyDerivation.derive10(NWK_KEY, new JoinNonce(1),
        NetId.parse("000013"), new DevNonce(3));
    assertThat(res.getSessionKeys().getFNwkSIntKey().getKey())
        .isEqualTo(expected.nwkSKey().toHex());
  }

  @Test
  void wrongAppKeyIsRejectedAsMicMismatchAndChangesNothing() {
    store.put(JoinFixture.device10(MacVersion.V1_0_3));
    JoinServer js = server();

    ApiException e = refusal(js, request(WRONG_KEY, 0x1234, MACVersion.MAC_V1_0_3));

    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("MIC mismatch");
    assertThat(reason(e)).isEqualTo("mic_mismatch");
    assertThat(rejected("mic_mismatch")).isEqualTo(1.0);
    Event reject = bus.named("js.join.reject").get(0);
    assertThat(reject.data()).isInstanceOfSatisfying(ErrorDetails.class, d -> {
      assertThat(d.getName()).isEqualTo("mic_mismatch");
      assertThat(d.getAttributes().getFieldsOrThrow("reason").getStringValue())
          .isEqualTo("mic_mismatch");
    });
    assertThat(reject.correlationIds().asList()).singleElement()
        .satisfies(id -> assertThat(id).startsWith(RPC_PREFIX));
    assertThat(store.device(JOIN_EUI, DEV_EUI).orElseThrow().nonces())
        .isEqualTo(DeviceNonces.initial());
    // the same DevNonce with the right key is still accepted
    assertThat(join(js, request(APP_KEY, 0x1234, MACVersion.MAC_V1_0_3))).isNotNull();
  }

  @Test
  void v103RejectsAReplayedDevNonce() {
    store.put(JoinFixture.device10(MacVersion.V1_0_3));
    JoinServer js = server();
    join(js, request(APP_KEY, 0xAF7C, MACVersion.MAC_V1_0_3));
    join(js, request(APP_KEY, 0x0001, MACVersion.MAC_V1_0_3)); // smaller is fine in 1.0.3

    ApiException e = refusal(js, request(APP_KEY, 0xAF7C, MACVersion.MAC_V1_0_3));

    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(reason(e)).isEqualTo("dev_nonce_reused");
    assertThat(e.getMessage()).contains("DevNonce").contains("AF7C");
    assertThat(rejected("dev_nonce_reused")).isEqualTo(1.0);
    assertThat(bus.named("js.join.reject")).singleElement()
        .satisfies(ev -> assertThat(ev.identifiers()).singleElement()
            .satisfies(id -> assertThat(id.getDeviceIds().getDeviceId()).isEqualTo("dev2")));
  }

  @Test
  void v104And11RejectADevNonceThatDidNotIncrease() {
    for (JoinDevice dev : List.of(JoinFixture.device10(MacVersion.V1_0_4),
        JoinFixture.device11())) {
      store.put(dev);
      AesKey key = dev.macVersion().is1_1() ? NWK_KEY : APP_KEY;
      MACVersion v = dev.macVersion().is1_1() ? MACVersion.MAC_V1_1 : MACVersion.MAC_V1_0_4;
      JoinServer js = server();
      join(js, request(key, 10, v));
      for (int devNonce : new int[] {10, 9}) {
        ApiException e = refusal(js, request(key, devNonce, v));
        assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(reason(e)).isEqualTo("dev_nonce_too_small");
        assertThat(e.getMessage()).contains("DevNonce").contains("000A");
      }
      assertThat(join(js, request(key, 11, v))).isNotNull();
    }
    assertThat(rejected("dev_nonce_too_small")).isEqualTo(4.0);
  }

  @Test
  void unknownDeviceIsNotFound() {
    ApiException e = refusal(server(), request(APP_KEY, 1, MACVersion.MAC_V1_0_3));
    assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(reason(e)).isEqualTo("unknown_device");
    assertThat(e.getMessage()).contains("70B3D57ED0050EAD");
    assertThat(rejected("unknown_device")).isEqualTo(1.0);
    assertThat(bus.named("js.join.reject")).singleElement()
        .satisfies(ev -> assertThat(ev.identifiers()).isEmpty());
  }

  @Test
  void joinEuiNotServedIsNotFound() {
    store.put(JoinFixture.device10(MacVersion.V1_0_3));
    JoinServer js = server(JoinServerConfig.defaults()
        .withJoinEuis(Set.of(Eui64.parse("0000000000000042"))));
    ApiException e = refusal(js, request(APP_KEY, 1, MACVersion.MAC_V1_0_3));
    assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(reason(e)).isEqualTo("join_eui_not_served");
  }

  @Test
  void selected11ForA10DeviceIsRefused() {
    store.put(JoinFixture.device10(MacVersion.V1_0_3));
    ApiException e = refusal(server(), request(APP_KEY, 1, MACVersion.MAC_V1_1));
    assertThat(reason(e)).isEqualTo("mac_version_mismatch");
  }

  @Test
  void malformedRequestIsRefusedWithTheField() {
    ApiException e = refusal(server(), request(APP_KEY, 1, MACVersion.MAC_V1_0_3).toBuilder()
        .setRxDelay(99).build());
    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.attributes().getFieldsOrThrow("field").getStringValue()).isEqualTo("rx_delay");
    assertThat(rejected("malformed_request")).isEqualTo(1.0);
  }

  @Test
  void joinNonceIncrementsAndSurvivesARestart() {
    store.put(JoinFixture.device11());
    JoinResponse first = join(server(), request(NWK_KEY, 1, MACVersion.MAC_V1_1));
    JoinServer restarted = server(); // a new instance on the same store
    JoinResponse second = join(restarted, request(NWK_KEY, 2, MACVersion.MAC_V1_1));

    assertThat(joinNonce(first)).isEqualTo(new JoinNonce(1));
    assertThat(joinNonce(second)).isEqualTo(new JoinNonce(2));
    assertThat(first.getSessionKeys().getSessionKeyId())
        .isNotEqualTo(second.getSessionKeys().getSessionKeyId());
    // the DevNonce history survived too
    assertThat(reason(refusal(server(), request(NWK_KEY, 2, MACVersion.MAC_V1_1))))
        .isEqualTo("dev_nonce_too_small");
    DeviceNonces stored = store.device(JOIN_EUI, DEV_EUI).orElseThrow().nonces();
    assertThat(stored.lastJoinNonce()).isEqualTo(new JoinNonce(2));
    assertThat(stored.lastDevNonce()).contains(new DevNonce(2));
  }

  private static JoinNonce joinNonce(JoinResponse res) {
    return PhyPayloadCodec.decodeJoinAccept(
        decryptJoinAccept(res.getRawPayload().toByteArray(), NWK_KEY)).joinNonce();
  }

  @Test
  void noKeyIsEverInAnEvent() {
    store.put(JoinFixture.device11());
    JoinServer js = server();
    List<String> secrets = new ArrayList<>(List.of(APP_KEY.toHex(), NWK_KEY.toHex()));
    for (int devNonce = 1; devNonce <= 3; devNonce++) {
      join(js, request(NWK_KEY, devNonce, MACVersion.MAC_V1_1));
      SessionKeys11 keys = SessionKeyDerivation.derive11(NWK_KEY, APP_KEY,
          new JoinNonce(devNonce), JOIN_EUI, new DevNonce(devNonce));
      for (AesKey k : List.of(keys.appSKey(), keys.fNwkSIntKey(), keys.sNwkSIntKey(),
          keys.nwkSEncKey())) {
        secrets.add(k.toHex());
      }
    }
    refusal(js, request(NWK_KEY, 3, MACVersion.MAC_V1_1));
    refusal(js, request(WRONG_KEY, 9, MACVersion.MAC_V1_1));

    assertThat(bus.events()).hasSize(5);
    for (Event e : bus.events()) {
      String json = e.toJson().toUpperCase(java.util.Locale.ROOT);
      String proto = e.toProto().toString().toUpperCase(java.util.Locale.ROOT);
      String b64 = e.toJson();
      for (String secret : secrets) {
        assertThat(json).doesNotContain(secret);
        assertThat(proto).doesNotContain(secret);
        assertThat(b64).doesNotContain(java.util.Base64.getEncoder()
            .encodeToString(dev.loralab.lorawan.HexBytes.parse("k", secret)));
      }
    }
  }

  @Test
  void appSKeyRequestsForUnknownOrMismatchedSessionsAreRefused() throws Exception {
    store.put(JoinFixture.device10(MacVersion.V1_0_2));
    JoinServer js = server();
    JoinResponse res = join(js, request(APP_KEY, 5, MACVersion.MAC_V1_0_2));
    ByteString id = res.getSessionKeys().getSessionKeyId();

    assertThat(appSKeyRefusal(js, SessionKeyRequest.newBuilder()
        .setSessionKeyId(ByteString.copyFrom(new byte[16])).build()).code())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(appSKeyRefusal(js, SessionKeyRequest.newBuilder().setSessionKeyId(id)
        .setDevEui("0000000000000001").build()).code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(appSKeyRefusal(js, SessionKeyRequest.newBuilder()
        .setSessionKeyId(ByteString.copyFrom(new byte[3])).build()).code())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(appSKeyRefusal(js, SessionKeyRequest.newBuilder().setSessionKeyId(id)
        .setJoinEui("XYZ").build()).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  private static ApiException appSKeyRefusal(JoinServer js, SessionKeyRequest req) {
    Throwable t = catchThrowable(() -> js.getAppSKey(req).get(30, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ApiException.class);
    return (ApiException) t.getCause();
  }

  @Test
  void oldSessionsAreForgottenPerDevice() throws Exception {
    store.put(JoinFixture.device10(MacVersion.V1_0_2));
    JoinServer js = server();
    List<ByteString> ids = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      ids.add(join(js, request(APP_KEY, n, MACVersion.MAC_V1_0_2)).getSessionKeys()
          .getSessionKeyId());
    }
    assertThat(appSKeyRefusal(js, SessionKeyRequest.newBuilder().setSessionKeyId(ids.get(0))
        .build()).code()).isEqualTo(Status.Code.NOT_FOUND);
    for (ByteString id : ids.subList(1, 3)) {
      assertThat(js.getAppSKey(SessionKeyRequest.newBuilder().setSessionKeyId(id).build())
          .get(30, TimeUnit.SECONDS).getAppSKey().getKey()).hasSize(32);
    }
  }

  /**
   * Many join-requests of one device submitted at once to a 4-thread pool are processed one at a
   * time in submission order: all increasing DevNonces are accepted, each gets the next
   * JoinNonce, and the store never sees two joins of the device overlap.
   */
  @Test
  void joinsOfOneDeviceAreSerialized() throws Exception {
    store.put(JoinFixture.device11());
    OverlapDetectingStore watched = new OverlapDetectingStore(store);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      JoinServer js = new JoinServer(JoinServerConfig.defaults().withMaxPendingJoinsPerDevice(64),
          watched, bus, CLOCK, new SplittableRandom(3), pool, registry);
      List<CompletableFuture<JoinResponse>> futures = new ArrayList<>();
      for (int devNonce = 1; devNonce <= 30; devNonce++) {
        futures.add(js.handleJoin(request(NWK_KEY, devNonce, MACVersion.MAC_V1_1)));
      }
      for (int i = 0; i < futures.size(); i++) {
        JoinResponse res = futures.get(i).get(60, TimeUnit.SECONDS);
        assertThat(joinNonce(res)).isEqualTo(new JoinNonce(i + 1));
      }
      assertThat(watched.maxOverlap()).isEqualTo(1);
      // the same DevNonce twice at once: exactly one is accepted
      CompletableFuture<JoinResponse> a = js.handleJoin(request(NWK_KEY, 100, MACVersion.MAC_V1_1));
      CompletableFuture<JoinResponse> b = js.handleJoin(request(NWK_KEY, 100, MACVersion.MAC_V1_1));
      CompletableFuture.allOf(a, b).handle((x, t) -> null).get(60, TimeUnit.SECONDS);
      assertThat(a.isCompletedExceptionally()).isNotEqualTo(b.isCompletedExceptionally());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Counts joins of one device between reading the device and committing. */
  private static final class OverlapDetectingStore implements JoinServerStore {
    private final JoinServerStore inner;
    private int inside;
    private int max;

    OverlapDetectingStore(JoinServerStore inner) {
      this.inner = inner;
    }

    synchronized int maxOverlap() {
      return max;
    }

    @Override
    public java.util.Optional<JoinDevice> device(Eui64 joinEui, Eui64 devEui) {
      synchronized (this) {
        inside++;
        max = Math.max(max, inside);
      }
      Thread.yield(); // widen the window a racy implementation would expose
      return inner.device(joinEui, devEui);
    }

    @Override
    public boolean commitJoin(JoinCommit commit) {
      try {
        return inner.commitJoin(commit);
      } finally {
        synchronized (this) {
          inside--;
        }
      }
    }

    @Override
    public java.util.Optional<JoinSession> session(SessionKeyId id) {
      return inner.session(id);
    }
  }
}
