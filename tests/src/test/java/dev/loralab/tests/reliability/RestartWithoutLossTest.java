package dev.loralab.tests.reliability;

import static dev.loralab.tests.support.Events.device;
import static dev.loralab.tests.support.Events.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.tests.reliability.support.StackProcess;
import dev.loralab.tests.reliability.support.UplinkSender;
import dev.loralab.tests.support.EventStream;
import dev.loralab.tests.support.HttpApi;
import dev.loralab.tests.support.Radio;
import dev.loralab.tests.support.TestDevice;
import dev.loralab.tests.support.TestGateway;
import dev.loralab.tests.support.Timeouts;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, restart without loss: the stack runs as a separate process ({@code loralab start});
 * while a gateway sends uplinks of OTAA and ABP devices (LoRaWAN 1.0.3 and 1.1) it is killed with
 * SIGKILL and started again on the same data directory and ports. Nothing the old process
 * acknowledged may be lost: frame counters do not go backwards, an accepted FCnt and a used
 * DevNonce cannot be replayed, every entity and key is still there, and the devices carry on with
 * their sessions without rejoining.
 */
class RestartWithoutLossTest {

  private static final String ADMIN = "admin";
  private static final String PLAN = "EU_863_870";
  private static final String APP = "restart-app";
  private static final String GATEWAY = "restart-gw";
  private static final Eui64 GATEWAY_EUI = new Eui64(0xB827EBFFFE0A0001L);
  private static final Eui64 JOIN_EUI = new Eui64(0x70B3D57ED0000000L);
  private static final Radio JOIN_RADIO = Radio.eu868(0, 0);
  private static final Radio DATA_RADIO = Radio.eu868(1, 5);
  /** Uplinks per device the old process must have processed before the kill. */
  private static final int PROCESSED_BEFORE_KILL = 40;
  /** Between two rounds of the load: at most about 40 uplinks a second per gateway. */
  private static final long LOAD_PAUSE_MS = 25;
  /** Bounds the load: rounds over all devices at most. */
  private static final int MAX_ROUNDS = 2_000;

  private final SplittableRandom random = new SplittableRandom(0x11_2E57A27L);
  /** Every key made for the devices, to look for in the processes' output. */
  private final List<String> keys = new ArrayList<>();

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void sigkillUnderLoadLosesNoCounterNonceSessionOrEntity(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    Path logs = StackProcess.logDirectory();
    StackProcess.Ports ports = StackProcess.Ports.free();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    List<TestDevice> devices = new ArrayList<>();
    List<TestDevice> otaa = new ArrayList<>();
    Map<String, AesKey> appKeys = new HashMap<>();
    Map<String, DevNonce> usedDevNonces = new HashMap<>();
    Map<String, Long> processedBeforeKill = new HashMap<>();
    Map<String, Long> transmittedFCntDown = new HashMap<>();
    String adminKey;
    String appApiKey;
    TestGateway gw;
    List<TestGateway> gateways = new ArrayList<>();

    StackProcess first = StackProcess.start(data, ports, logs.resolve("restart-first.log"));
    try {
      adminKey = first.adminKey();
      HttpApi api = new HttpApi(http, first.httpBase(), adminKey);
      api.createApplication(ADMIN, APP);
      api.createGateway(ADMIN, GATEWAY, GATEWAY_EUI.toString(), PLAN);
      int n = 1;
      for (MacVersion v : List.of(MacVersion.V1_0_3, MacVersion.V1_1)) {
        AesKey appKey = key();
        TestDevice d = TestDevice.otaa(APP, "otaa-" + n, new Eui64(0x70B3D57ED0A00000L + n), JOIN_EUI, v,
            appKey, key());
        appKeys.put(d.deviceId(), appKey);
        otaa.add(d);
        devices.add(d);
        n++;
        devices.add(TestDevice.abp(APP, "abp-" + n, new Eui64(0x70B3D57ED0A00000L + n), v,
            new DevAddr(0x26_0A_00_00 + n), key(), key(), key(), key()));
        n++;
      }
      for (TestDevice d : devices) {
        api.createEndDevice(APP, d.registration(PLAN));
      }
      ObjectNode keyRequest = HttpApi.object();
      keyRequest.putObject("application_ids").put("application_id", APP);
      keyRequest.put("name", "restart");
      keyRequest.putArray("rights").add("RIGHT_APPLICATION_INFO");
      appApiKey = api.post("/api/v3/applications/" + APP + "/api-keys", keyRequest).path("key").asText();
      EventStream events = openStream(http, first, adminKey, api);
      gw = new TestGateway(GATEWAY, GATEWAY_EUI, first.udpAddress(), random.nextLong() & 0xFFFF_FFFFL);
      gw.pullData();

      // One gateway per join: a join-accept takes the gateway's duty cycle in the RX1 sub-band.
      for (TestDevice d : otaa) {
        Eui64 joinGwEui = new Eui64(GATEWAY_EUI.value() + 0x100 + otaa.indexOf(d));
        String joinGwId = GATEWAY + "-join-" + otaa.indexOf(d);
        api.createGateway(ADMIN, joinGwId, joinGwEui.toString(), PLAN);
        TestGateway joinGw = new TestGateway(joinGwId, joinGwEui, first.udpAddress(), random.nextLong() & 0xFFFF_FFFFL);
        gateways.add(joinGw);
        joinGw.pullData();
        joinGw.uplink(d.joinRequest(), JOIN_RADIO, -50, 9);
        d.acceptJoin(joinGw.awaitDownlink(Timeouts.DOWNLINK).orElseThrow(() -> new AssertionError(
            "no join-accept for " + d.deviceId() + "; events " + events.summary())).data().toArray());
        usedDevNonces.put(d.deviceId(), d.lastDevNonce());
        events.expectEvent("as.up.join.forward", d.deviceId(), device(d.deviceId()));
        if (d.version().is1_1()) {
          // LoRaWAN 1.1 §5.10: the first uplink of the session carries RekeyInd.
          joinGw.uplink(d.uplink(TestDevice.Uplink.data(1, (byte) 0).withFOpts(List.of(new MacCommand.RekeyInd(1))),
              DATA_RADIO), DATA_RADIO, -50, 9);
          events.expectEvent("ns.up.data.process", "RekeyInd of " + d.deviceId(), device(d.deviceId()));
        }
      }
      gw.clearDownlinks();
      gateways.forEach(TestGateway::close);

      // Load: round after round of uplinks of every device, each device through its own gateway on
      // its own source address (the gateway server rate-limits per address), until the process
      // dies under it. The gateways take downlinks (PULL_DATA) but never confirm them.
      List<UplinkSender> senders = new ArrayList<>();
      for (int i = 0; i < devices.size(); i++) {
        Eui64 eui = new Eui64(GATEWAY_EUI.value() + 0x200 + i);
        api.createGateway(ADMIN, GATEWAY + "-load-" + i, eui.toString(), PLAN);
        UplinkSender sender = new UplinkSender(eui, "127.0.6." + (i + 1), first.udpAddress());
        sender.pullData();
        senders.add(sender);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> loadFailure = new AtomicReference<>();
      Thread load = new Thread(() -> {
        try {
          for (int round = 0; round < MAX_ROUNDS && !stop.get(); round++) {
            for (int i = 0; i < devices.size(); i++) {
              TestDevice d = devices.get(i);
              senders.get(i).push(d.uplink(TestDevice.Uplink.data(2, (byte) round, (byte) (round >> 8)),
                  DATA_RADIO), DATA_RADIO);
            }
            // Each gateway stays below the per-address limit (50 datagrams/s).
            Thread.sleep(LOAD_PAUSE_MS);
          }
        } catch (Throwable t) {
          if (!stop.get()) {
            loadFailure.set(t);
          }
        }
      }, "restart-load");
      load.setDaemon(true);
      load.start();
      for (TestDevice d : devices) {
        List<JsonNode> processed = events.awaitEvents(named("ns.up.data.process").and(device(d.deviceId())),
            PROCESSED_BEFORE_KILL + 1, Timeouts.NETWORK.multipliedBy(4));
        assertThat(processed).as("uplinks of %s processed before the kill (load failure: %s; stream: %s)",
            d.deviceId(), loadFailure.get(), events.errors()).hasSizeGreaterThan(PROCESSED_BEFORE_KILL);
      }

      first.kill();
      stop.set(true);
      load.interrupt();
      load.join(TimeUnit.MINUTES.toMillis(2));
      assertThat(load.isAlive()).as("load thread stopped").isFalse();
      for (UplinkSender sender : senders) {
        sender.drain(500);
        sender.downlinkFCnts().forEach((addr, fCnt) -> transmittedFCntDown.merge(addr, fCnt, Math::max));
        sender.close();
      }
      // Whatever the stream delivered was published by the old process before it died.
      Thread.sleep(1_000);
      events.close();
      for (TestDevice d : devices) {
        long max = events.matching(named("ns.up.data.process").and(device(d.deviceId()))).stream()
            .mapToLong(RestartWithoutLossTest::fCnt).max().orElse(-1);
        processedBeforeKill.put(d.deviceId(), max);
      }
    } finally {
      first.kill();
    }

    StackProcess second = StackProcess.start(data, ports, logs.resolve("restart-second.log"));
    try {
      assertThat(second.adminKey()).as("admin API key after restart").isEqualTo(adminKey);
      HttpApi api = new HttpApi(http, second.httpBase(), adminKey);

      // Entities and keys.
      JsonNode list = api.get("/api/v3/applications/" + APP + "/devices?field_mask=ids");
      List<String> ids = new ArrayList<>();
      list.path("end_devices").forEach(e -> ids.add(e.path("ids").path("device_id").asText()));
      assertThat(ids).as("devices after restart")
          .containsExactlyInAnyOrderElementsOf(devices.stream().map(TestDevice::deviceId).toList());
      assertThat(api.get("/api/v3/gateways/" + GATEWAY).path("ids").path("eui").asText())
          .isEqualToIgnoringCase(GATEWAY_EUI.toString());
      assertThat(api.get("/api/v3/applications/" + APP).path("ids").path("application_id").asText()).isEqualTo(APP);
      assertThat(new HttpApi(http, second.httpBase(), appApiKey).get("/api/v3/applications/" + APP)
          .path("ids").path("application_id").asText()).as("an application API key made before the kill").isEqualTo(APP);
      for (TestDevice d : otaa) {
        JsonNode dev = api.getEndDevice(APP, d.deviceId(), "root_keys", "session.dev_addr");
        assertThat(dev.path("root_keys").path("app_key").path("key").asText())
            .as("AppKey of %s", d.deviceId()).isEqualToIgnoringCase(appKeys.get(d.deviceId()).toHex());
        assertThat(dev.path("session").path("dev_addr").asText())
            .as("session of %s: the joined DevAddr", d.deviceId()).isEqualToIgnoringCase(d.devAddr().toString());
      }

      // Frame counters: nothing the old process processed is forgotten.
      for (TestDevice d : devices) {
        JsonNode dev = api.getEndDevice(APP, d.deviceId(), "session.last_f_cnt_up", "session.last_n_f_cnt_down",
            "session.last_a_f_cnt_down");
        long lastUp = dev.path("session").path("last_f_cnt_up").asLong(0);
        System.out.printf("restart: %s sent up to FCnt %d, processed before the kill up to %d, stored %d%n",
            d.deviceId(), d.fCntUp() - 1, processedBeforeKill.get(d.deviceId()), lastUp);
        assertThat(lastUp).as("last FCntUp of %s after restart", d.deviceId())
            .isGreaterThanOrEqualTo(processedBeforeKill.get(d.deviceId()));
        // A downlink counter the gateways transmitted is never handed out again. (One given back
        // because its downlink could not be scheduled was never transmitted: that is allowed.)
        long down = Math.max(dev.path("session").path("last_n_f_cnt_down").asLong(0),
            dev.path("session").path("last_a_f_cnt_down").asLong(0));
        long transmitted = transmittedFCntDown.getOrDefault(d.devAddr().toString(), -1L);
        System.out.printf("restart: %s highest FCntDown transmitted %d, stored %d%n", d.deviceId(), transmitted, down);
        assertThat(down).as("last FCntDown of %s after restart vs the highest transmitted before the kill",
            d.deviceId()).isGreaterThanOrEqualTo(transmitted);
      }

      EventStream events = openStream(http, second, adminKey, api);
      gw.pullData();
      try {
        // A replay of an uplink the old process accepted is dropped.
        for (TestDevice d : devices) {
          long replayed = processedBeforeKill.get(d.deviceId());
          gw.uplink(d.encodeUplink(TestDevice.Uplink.data(2, (byte) 0xEE), DATA_RADIO, replayed), DATA_RADIO, -50, 9);
          events.expectEvent("ns.up.data.drop", "replay of FCnt " + replayed + " of " + d.deviceId(),
              device(d.deviceId()));
        }
        // A join-request with a DevNonce the old process accepted is rejected.
        for (TestDevice d : otaa) {
          DevNonce used = usedDevNonces.get(d.deviceId());
          gw.uplink(d.joinRequestWith(used), JOIN_RADIO, -50, 9);
          events.expectEvent("join-request with the used DevNonce " + used + " of " + d.deviceId() + " rejected",
              named("js.join.reject").or(named("ns.up.join.drop")).and(aboutDevice(d)));
        }
        // The devices carry on with their sessions: uplinks are accepted and reach the application.
        for (TestDevice d : devices) {
          long fCnt = d.fCntUp();
          gw.uplink(d.uplink(TestDevice.Uplink.data(3, (byte) 0x42), DATA_RADIO), DATA_RADIO, -50, 9);
          JsonNode up = events.expectEvent("as.up.data.forward", "FCnt " + fCnt + " of " + d.deviceId()
              + " after restart", device(d.deviceId()).and(e ->
                  e.path("data").path("uplink_message").path("f_cnt").asLong(0) == fCnt));
          assertThat(up.path("identifiers").path(0).path("device_ids").path("dev_addr").asText())
              .as("%s keeps its DevAddr (no rejoin)", d.deviceId()).isEqualToIgnoringCase(d.devAddr().toString());
        }
        for (TestDevice d : devices) {
          long replayed = processedBeforeKill.get(d.deviceId());
          assertThat(events.matching(named("ns.up.data.process").and(device(d.deviceId()))
                  .and(e -> fCnt(e) == replayed)))
              .as("replayed FCnt %s of %s processed again", replayed, d.deviceId()).isEmpty();
        }
        assertThat(events.matching(named("js.join.accept").or(named("as.up.join.forward"))))
            .as("no join accepted after the restart").isEmpty();
      } finally {
        events.close();
        gw.close();
      }
    } finally {
      second.close();
    }
    // Neither process wrote a root key, session key or the admin key's secret to its output.
    String output = (first.log() + second.log()).toLowerCase(java.util.Locale.ROOT);
    List<String> secrets = new ArrayList<>(keys);
    secrets.add(adminKey.substring(adminKey.lastIndexOf('.') + 1));
    secrets.add(appApiKey.substring(appApiKey.lastIndexOf('.') + 1));
    for (String secret : secrets) {
      assertThat(output).as("loralab output contains a secret").doesNotContain(secret.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private AesKey key() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    AesKey k = AesKey.of(b);
    keys.add(k.toHex());
    return k;
  }

  private static Predicate<JsonNode> aboutDevice(TestDevice d) {
    return e -> {
      for (JsonNode id : e.path("identifiers")) {
        JsonNode ids = id.path("device_ids");
        if (d.deviceId().equals(ids.path("device_id").asText(null))
            || d.devEui().toString().equalsIgnoreCase(ids.path("dev_eui").asText(""))) {
          return true;
        }
      }
      return false;
    };
  }

  /** The 32-bit FCnt of an {@code ns.up.data.*} event's uplink. */
  static long fCnt(JsonNode e) {
    JsonNode mac = e.path("data").path("payload").path("mac_payload");
    return Math.max(mac.path("full_f_cnt").asLong(0), mac.path("f_hdr").path("f_cnt").asLong(0));
  }

  /** Subscribes to the application and gateway and waits until the stream is live. */
  private static EventStream openStream(HttpClient http, StackProcess stack, String key, HttpApi api) {
    ArrayNode ids = HttpApi.JSON.createArrayNode();
    ids.addObject().putObject("application_ids").put("application_id", APP);
    ids.addObject().putObject("gateway_ids").put("gateway_id", GATEWAY);
    EventStream s = EventStream.open(http, stack.httpBase(), key, ids);
    String marker = "probe " + System.nanoTime();
    ObjectNode a = HttpApi.object();
    a.putObject("ids").put("application_id", APP);
    a.put("description", marker);
    api.updateApplication(APP, a, "description");
    s.expectEvent("application.update", "stream probe", e -> true);
    return s;
  }
}
