package dev.loralab.tests.security;

import static dev.loralab.tests.support.Events.device;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.tests.reliability.support.ApiRoutes;
import dev.loralab.tests.reliability.support.LogCapture;
import dev.loralab.tests.reliability.support.RawHttp;
import dev.loralab.tests.support.EventStream;
import dev.loralab.tests.support.HttpApi;
import dev.loralab.tests.support.Radio;
import dev.loralab.tests.support.StackFixture;
import dev.loralab.tests.support.TestDevice;
import dev.loralab.tests.support.TestGateway;
import dev.loralab.tests.support.Timeouts;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, security: nothing answers without a valid API key except {@code /healthz},
 * {@code /metrics} and the console's static files; a key of one application never reveals another
 * application's devices or events; and secrets (root keys, session keys, API key secrets) never
 * appear in events, list responses or log output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SecurityTest {

  private static final String PLAN = "EU_863_870";
  private static final Radio RADIO = Radio.eu868(0, 5);

  private StackFixture fx;
  private RawHttp raw;
  private String appA;
  private String appB;
  private String gatewayId;
  private TestDevice abpA;
  private TestDevice abpB;
  private String keyA;
  private String keyB;
  private final Map<String, String> ids = new LinkedHashMap<>();

  @BeforeAll
  void start(@TempDir Path dir) {
    fx = StackFixture.start(dir);
    raw = new RawHttp(new InetSocketAddress("127.0.0.1", fx.stack().httpPort()));
    appA = fx.createApplication();
    appB = fx.createApplication();
    gatewayId = fx.uniqueId("gw");
    fx.api().createGateway(StackFixture.ADMIN, gatewayId, fx.newEui(0xB827EBFFFE000000L).toString(), PLAN);
    abpA = fx.register(abp(appA, 0x260C0001), PLAN, null);
    abpB = fx.register(abp(appB, 0x260C0002), PLAN, null);
    keyA = createApplicationKey(appA, "RIGHT_APPLICATION_ALL").path("key").asText();
    keyB = createApplicationKey(appB, "RIGHT_APPLICATION_ALL").path("key").asText();
    ids.put("user_id", StackFixture.ADMIN);
    ids.put("application_id", appA);
    ids.put("gateway_id", gatewayId);
    ids.put("device_id", abpA.deviceId());
    ids.put("key_id", apiKeyId(keyA));
    ids.put("webhook_id", "hook");
  }

  @AfterAll
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void everyApiRouteNeedsAValidKey() {
    List<String> failures = new ArrayList<>();
    List<String> routes = ApiRoutes.of(fx.stack());
    String[] badKeys = {null, "garbage", "NNSXS.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
        keyA.substring(0, keyA.length() - 4) + "AAAA", ""};
    for (String route : routes) {
      String method = ApiRoutes.method(route);
      String path = ApiRoutes.fill(ApiRoutes.pattern(route), ids, null);
      byte[] body = method.equals("POST") || method.equals("PUT") ? "{}".getBytes(StandardCharsets.UTF_8) : null;
      for (String key : badKeys) {
        RawHttp.Response r = raw.send(method, path.getBytes(StandardCharsets.UTF_8), key,
            body == null ? null : "application/json", body);
        if (r.status() != 401 || !r.isJsonError()) {
          failures.add(route + " with key " + (key == null ? "(none)" : "'" + abbreviate(key) + "'") + ": " + r);
        }
      }
      RawHttp.Response basic = raw.exchange((method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
          + "Authorization: Basic YWRtaW46YWRtaW4=\r\n" + (body == null ? "" : "Content-Length: 2\r\n\r\n{}")
          + (body == null ? "\r\n" : "")).getBytes(StandardCharsets.US_ASCII));
      if (basic.status() != 401) {
        failures.add(route + " with Basic credentials: " + basic);
      }
    }
    assertThat(failures).as("routes answering without a valid key").isEmpty();

    // Open without a key: health, metrics and the console's static files.
    assertThat(raw.send("GET", "/healthz", null, null).status()).isEqualTo(200);
    assertThat(raw.send("GET", "/metrics", null, null).status()).isEqualTo(200);
    assertThat(raw.send("GET", "/console/", null, null).status()).isEqualTo(200);
  }

  @Test
  void anApplicationKeyDoesNotRevealAnotherApplication() throws Exception {
    HttpApi asA = new HttpApi(fx.httpClient(), URI.create(fx.stack().httpUrl()), keyA);
    assertThat(asA.send("GET", "/api/v3/applications/" + appA + "/devices", null).status()).isEqualTo(200);
    for (String path : List.of("/api/v3/applications/" + appB, "/api/v3/applications/" + appB + "/devices",
        "/api/v3/applications/" + appB + "/devices/" + abpB.deviceId(),
        "/api/v3/applications/" + appB + "/devices/" + abpB.deviceId() + "?field_mask=session",
        "/api/v3/applications/" + appB + "/api-keys", "/api/v3/as/webhooks/" + appB,
        "/api/v3/as/applications/" + appB + "/formatters",
        "/api/v3/as/applications/" + appB + "/devices/" + abpB.deviceId() + "/down")) {
      HttpApi.Result r = asA.send("GET", path, null);
      assertThat(r.status()).as("GET %s with the key of %s: %s", path, appA, r.body()).isIn(403, 404);
      // The error may repeat the IDs the caller sent, never what only B's collaborators may know.
      assertThat(r.body()).as("GET %s with the key of %s", path, appA)
          .doesNotContainIgnoringCase(abpB.devEui().toString()).doesNotContainIgnoringCase(abpB.devAddr().toString());
      if (!path.contains(abpB.deviceId())) {
        assertThat(r.body()).as("GET %s with the key of %s", path, appA).doesNotContain(abpB.deviceId());
      }
    }
    ObjectNode push = HttpApi.object();
    push.putArray("downlinks").addObject().put("f_port", 1).put("frm_payload", "AQ==");
    assertThat(asA.send("POST", "/api/v3/as/applications/" + appB + "/devices/" + abpB.deviceId() + "/down/push",
        push).status()).as("downlink to %s with the key of %s", appB, appA).isIn(403, 404);
    assertThat(asA.send("DELETE", "/api/v3/applications/" + appB + "/devices/" + abpB.deviceId(), null).status())
        .isIn(403, 404);
    HttpApi.Result lists = asA.send("GET", "/api/v3/applications", null);
    assertThat(lists.body()).as("applications listed with the key of %s", appA).doesNotContain("\"" + appB + "\"");

    // Streaming B's events with A's key is refused.
    ArrayNode onlyB = HttpApi.JSON.createArrayNode();
    onlyB.addObject().putObject("application_ids").put("application_id", appB);
    ObjectNode req = HttpApi.object();
    req.set("identifiers", onlyB);
    RawHttp.Response stream = raw.send("POST", "/api/v3/events", keyA, req.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(stream.status()).as("stream of %s with the key of %s: %s", appB, appA, stream).isIn(403, 404);

    // A's stream never carries B's events, even while B has traffic.
    ArrayNode onlyA = HttpApi.JSON.createArrayNode();
    onlyA.addObject().putObject("application_ids").put("application_id", appA);
    try (EventStream streamA = EventStream.open(fx.httpClient(), URI.create(fx.stack().httpUrl()), keyA, onlyA);
         EventStream admin = fx.subscribe(List.of(), List.of(appB, appA));
         TestGateway gw = new TestGateway(gatewayId, new Eui64(Long.parseUnsignedLong(
             fx.api().get("/api/v3/gateways/" + gatewayId).path("ids").path("eui").asText(), 16)),
             fx.udpAddress(), 1234)) {
      gw.pullData();
      gw.uplink(abpB.uplink(TestDevice.Uplink.data(5, (byte) 0xB0), RADIO), RADIO, -50, 9);
      admin.expectEvent("as.up.data.forward", "uplink of " + abpB.deviceId(), device(abpB.deviceId()));
      gw.uplink(abpA.uplink(TestDevice.Uplink.data(5, (byte) 0xA0), RADIO), RADIO, -50, 9);
      streamA.expectEvent("as.up.data.forward", "uplink of " + abpA.deviceId(), device(abpA.deviceId()));
      admin.expectEvent("as.up.data.forward", "uplink of " + abpA.deviceId(), device(abpA.deviceId()));
      for (JsonNode e : streamA.events()) {
        assertThat(e.toString()).as("event %s on the stream of %s", e.path("name").asText(), appA)
            .doesNotContain(appB).doesNotContain(abpB.deviceId());
      }
    }
  }

  @Test
  void secretsNeverAppearInEventsListsOrLogs() throws Exception {
    List<String> secrets = new ArrayList<>();
    EventStream events;
    String app = fx.createApplication();
    try (LogCapture log = LogCapture.startQuiet(Level.DEBUG)) {
      events = fx.subscribe(List.of(), List.of(app));
      AesKey appKey = fx.newKey();
      AesKey nwkKey = fx.newKey();
      TestDevice otaa = fx.register(TestDevice.otaa(app, fx.uniqueId("dev"), fx.newEui(0x70B3D57ED0000000L),
          new Eui64(0x70B3D57ED0000000L), MacVersion.V1_1, appKey, nwkKey), PLAN, null);
      AesKey[] session = {fx.newKey(), fx.newKey(), fx.newKey(), fx.newKey()};
      TestDevice abp = fx.register(TestDevice.abp(app, fx.uniqueId("dev"), fx.newEui(0x70B3D57ED0000000L),
          MacVersion.V1_1, new DevAddr(0x260C0101), session[0], session[1], session[2], session[3]), PLAN, null);
      secrets.addAll(List.of(appKey.toHex(), nwkKey.toHex()));
      for (AesKey k : session) {
        secrets.add(k.toHex());
      }
      String userKey = createUserKey();
      String appKeyToken = createApplicationKey(app, "RIGHT_APPLICATION_DEVICES_READ").path("key").asText();
      for (String token : List.of(userKey, appKeyToken, keyA, keyB, fx.adminKey())) {
        secrets.add(apiKeySecret(token));
      }

      // Traffic: a join, uplinks of both devices, a downlink.
      // A gateway of its own: the join-accept needs the gateway's duty cycle.
      TestGateway gw = fx.createGateway(PLAN);
      {
        gw.uplink(otaa.joinRequest(), Radio.eu868(0, 0), -50, 9);
        otaa.acceptJoin(gw.expectDownlink(Timeouts.DOWNLINK).data().toArray());
        secrets.add(otaa.appSKey().toHex());
        events.expectEvent("as.up.join.forward", "join of " + otaa.deviceId(), device(otaa.deviceId()));
        gw.uplink(otaa.uplink(TestDevice.Uplink.data(1, (byte) 1).withFOpts(List.of(new MacCommand.RekeyInd(1))),
            RADIO), RADIO, -50, 9);
        gw.uplink(abp.uplink(TestDevice.Uplink.data(1, (byte) 2), RADIO), RADIO, -50, 9);
        ObjectNode push = HttpApi.object();
        push.putArray("downlinks").addObject().put("f_port", 3).put("frm_payload", "AQID");
        fx.api().post("/api/v3/as/applications/" + app + "/devices/" + abp.deviceId() + "/down/push", push);
        events.expectEvent("as.up.data.forward", "uplink of " + otaa.deviceId(), device(otaa.deviceId()));
        events.expectEvent("as.up.data.forward", "uplink of " + abp.deviceId(), device(abp.deviceId()));
      }

      // List responses (admin: every right) and reads without a key field mask.
      List<String> responses = new ArrayList<>();
      for (String path : List.of("/api/v3/applications/" + app + "/devices",
          "/api/v3/applications/" + app + "/devices?field_mask=ids,session.dev_addr,lorawan_version",
          "/api/v3/applications/" + app + "/devices/" + otaa.deviceId(),
          "/api/v3/applications/" + app + "/devices/" + abp.deviceId(),
          "/api/v3/applications/" + app + "/api-keys", "/api/v3/users/" + StackFixture.ADMIN + "/api-keys",
          "/api/v3/applications/" + appA + "/api-keys", "/api/v3/applications", "/api/v3/gateways",
          "/api/v3/users/" + StackFixture.ADMIN + "/applications")) {
        responses.add(path + " -> " + fx.api().send("GET", path, null).body());
      }
      // A key without RIGHT_APPLICATION_DEVICES_READ_KEYS that asks for the keys gets none.
      HttpApi reader = new HttpApi(fx.httpClient(), URI.create(fx.stack().httpUrl()), appKeyToken);
      for (String path : List.of("/api/v3/applications/" + app + "/devices?field_mask=root_keys,session.keys",
          "/api/v3/applications/" + app + "/devices/" + otaa.deviceId() + "?field_mask=root_keys",
          "/api/v3/applications/" + app + "/devices/" + abp.deviceId() + "?field_mask=session.keys")) {
        HttpApi.Result r = reader.send("GET", path, null);
        responses.add(path + " (devices:read only) -> " + r.status() + " " + r.body());
      }
      Thread.sleep(500); // let in-flight events reach the stream before it is inspected
      List<String> eventJson = events.events().stream().map(JsonNode::toString).toList();
      assertThat(eventJson).as("events received").isNotEmpty();

      String logs = log.text();
      for (String secret : secrets) {
        for (String form : forms(secret)) {
          assertThat(eventJson).as("events containing the secret %s", form)
              .filteredOn(e -> containsIgnoringCase(e, form)).isEmpty();
          assertThat(responses).as("API responses containing the secret %s", form)
              .filteredOn(r -> containsIgnoringCase(r, form)).isEmpty();
          assertThat(containsIgnoringCase(logs, form)).as("logs (%d events at DEBUG) contain the secret %s",
              log.events().size(), form).isFalse();
        }
      }
      assertThat(log.events()).as("log events captured at DEBUG").isNotEmpty();
    } finally {
      // events is closed with the fixture
    }
  }

  /** The forms a secret could be written in: hex (either case), base64 of its bytes, or as is. */
  private static List<String> forms(String secret) {
    if (secret.matches("[0-9A-Fa-f]{32}")) {
      byte[] b = HexFormat.of().parseHex(secret);
      return List.of(secret, Base64.getEncoder().encodeToString(b), Base64.getUrlEncoder().withoutPadding()
          .encodeToString(b));
    }
    return List.of(secret);
  }

  private static boolean containsIgnoringCase(String haystack, String needle) {
    if (needle.matches("[0-9A-Fa-f]+")) {
      return haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
    }
    return haystack.contains(needle); // base64 and base32 are case-sensitive
  }

  private TestDevice abp(String app, int devAddr) {
    return TestDevice.abp(app, fx.uniqueId("dev"), fx.newEui(0x70B3D57ED0000000L), MacVersion.V1_0_3,
        new DevAddr(devAddr), fx.newKey(), null, null, fx.newKey());
  }

  private JsonNode createApplicationKey(String app, String... rights) {
    ObjectNode req = HttpApi.object();
    req.putObject("application_ids").put("application_id", app);
    req.put("name", "security-test");
    ArrayNode r = req.putArray("rights");
    for (String right : rights) {
      r.add(right);
    }
    return fx.api().post("/api/v3/applications/" + app + "/api-keys", req);
  }

  private String createUserKey() {
    ObjectNode req = HttpApi.object();
    req.putObject("user_ids").put("user_id", StackFixture.ADMIN);
    req.put("name", "security-test");
    req.putArray("rights").add("RIGHT_USER_INFO");
    return fx.api().post("/api/v3/users/" + StackFixture.ADMIN + "/api-keys", req).path("key").asText();
  }

  /** The secret part of {@code NNSXS.<ID>.<secret>}. */
  private static String apiKeySecret(String token) {
    String[] parts = token.split("\\.");
    assertThat(parts).as("API key token %s...", token.substring(0, Math.min(12, token.length()))).hasSize(3);
    return parts[2];
  }

  private static String apiKeyId(String token) {
    return token.split("\\.")[1];
  }

  private static String abbreviate(String s) {
    return s.length() > 16 ? s.substring(0, 12) + "..." : s;
  }
}
