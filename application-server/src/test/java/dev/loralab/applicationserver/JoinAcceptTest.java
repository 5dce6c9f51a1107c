package dev.loralab.applicationserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.ApplicationJoinAccept;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.events.Event;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinAcceptTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Session key ID of the seed's join flow. */
  static final ByteString SESSION_KEY_ID =
      ByteString.copyFrom(Base64.getDecoder().decode("AYHNl4A0v5Eu3uRRH34tEA=="));
  static final String APP_S_KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
  /** Correlation IDs the Network Server hands over in the seed. */
  static final List<String> INCOMING = List.of(
      "gs:conn:01G76RS17HGZZXV740X0N2XDV8",
      "gs:up:host:01G76RS1T9JM1RGFWT6A0ZEGNB",
      "gs:uplink:01G76SF01BNW5SKRAND31Z0MGB",
      "ns:uplink:01G76SF01C64KZ26CKK4SK5G10",
      "rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01G76SF01BBAMZAQRXYK97RZ8K");

  static ApplicationUp seedJoinAccept() throws Exception {
    return ApplicationUp.newBuilder().setEndDeviceIds(AsTestFixture.ids())
        .addAllCorrelationIds(INCOMING)
        .setReceivedAt(Timestamps.parse("2022-07-05T09:01:08.804377195Z"))
        .setJoinAccept(ApplicationJoinAccept.newBuilder().setSessionKeyId(SESSION_KEY_ID)
            .setReceivedAt(Timestamps.parse("2022-07-05T09:01:06.988023916Z")))
        .build();
  }

  @Test
  void joinAcceptFetchesAppSKeyAndEmitsSeedShapedEvents() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      f.js.keys.put(SESSION_KEY_ID, APP_S_KEY);
      f.as.handleUplink(List.of(seedJoinAccept())).get();

      // The AppSKey was requested for the session key ID and the device's EUIs.
      assertThat(f.js.requests).hasSize(1);
      assertThat(f.js.requests.get(0).getSessionKeyId()).isEqualTo(SESSION_KEY_ID);
      assertThat(f.js.requests.get(0).getDevEui()).isEqualTo("70B3D57ED0050EAD");
      assertThat(f.js.requests.get(0).getJoinEui()).isEqualTo("0000000000000000");
      AsSession s = f.store.session(AsTestFixture.ids()).orElseThrow();
      assertThat(s.appSKey().toHex()).isEqualTo(APP_S_KEY);
      assertThat(s.sessionKeyId()).isEqualTo(SESSION_KEY_ID);
      assertThat(s.devAddr().toString()).isEqualTo("00FF52E3");
      assertThat(s.lastAFCntDown()).isZero();

      assertThat(f.bus.names()).containsExactly("as.up.join.receive", "as.up.join.forward");
      Event receive = f.bus.single("as.up.join.receive");
      Event forward = f.bus.single("as.up.join.forward");
      assertThat(receive.data()).isNull();
      assertThat(receive.correlationIds()).isEqualTo(forward.correlationIds());

      List<String> ids = forward.correlationIds().asList();
      assertThat(ids).hasSize(7).containsAll(INCOMING);
      String asUp = ids.stream().filter(i -> i.startsWith("as:up:")).findFirst().orElseThrow();
      String rpc = ids.stream().filter(i -> i.startsWith("rpc:/ttn.lorawan.v3.NsAs/HandleUplink:"))
          .findFirst().orElseThrow();
      assertThat(asUp).hasSize("as:up:".length() + 26);
      assertThat(rpc).hasSize("rpc:/ttn.lorawan.v3.NsAs/HandleUplink:".length() + 26);

      // The data of as.up.join.forward is the seed's, with our generated IDs in place of its own.
      String expected = """
          {
            "end_device_ids": {
              "device_id": "dev2",
              "application_ids": {"application_id": "app1"},
              "dev_eui": "70B3D57ED0050EAD",
              "join_eui": "0000000000000000",
              "dev_addr": "00FF52E3"
            },
            "correlation_ids": [
              "AS_UP",
              "gs:conn:01G76RS17HGZZXV740X0N2XDV8",
              "gs:up:host:01G76RS1T9JM1RGFWT6A0ZEGNB",
              "gs:uplink:01G76SF01BNW5SKRAND31Z0MGB",
              "ns:uplink:01G76SF01C64KZ26CKK4SK5G10",
              "rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01G76SF01BBAMZAQRXYK97RZ8K",
              "RPC"
            ],
            "received_at": "2022-07-05T09:01:08.804377195Z",
            "join_accept": {
              "session_key_id": "AYHNl4A0v5Eu3uRRH34tEA==",
              "received_at": "2022-07-05T09:01:06.988023916Z"
            }
          }
          """.replace("AS_UP", asUp).replace("RPC", rpc);
      JsonNode data = JSON.readTree(ProtoJson.print(forward.data()));
      assertThat(data).isEqualTo(JSON.readTree(expected));
      JsonNode event = JSON.readTree(forward.toJson());
      assertThat(event.get("data").get("@type").asText())
          .isEqualTo("type.googleapis.com/ttn.lorawan.v3.ApplicationUp");
      assertThat(event.get("identifiers").get(0).get("device_ids"))
          .isEqualTo(data.get("end_device_ids"));
      assertThat(forward.toJson()).doesNotContain("app_s_key").doesNotContain(APP_S_KEY);
      assertThat(forward.visibility().asSet())
          .containsExactly(dev.loralab.api.v3.Right.RIGHT_APPLICATION_TRAFFIC_READ);
      assertThat(forward.propagateToParent()).isTrue();
    }
  }

  @Test
  void appSKeyInTheJoinAcceptIsUsedAndNeverForwarded() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      List<ApplicationUp> received = new java.util.concurrent.CopyOnWriteArrayList<>();
      f.as.subscribe(received::add);
      ApplicationUp up = seedJoinAccept().toBuilder().setJoinAccept(seedJoinAccept()
          .getJoinAccept().toBuilder().setAppSKey(KeyEnvelope.newBuilder().setKey(APP_S_KEY)))
          .build();
      f.as.handleUplink(List.of(up)).get();
      assertThat(f.js.requests).isEmpty();
      assertThat(f.store.session(AsTestFixture.ids()).orElseThrow().appSKey().toHex())
          .isEqualTo(APP_S_KEY);
      assertThat(received).hasSize(1);
      assertThat(received.get(0).getJoinAccept().hasAppSKey()).isFalse();
      assertThat(ProtoJson.print(f.bus.single("as.up.join.forward").data()))
          .doesNotContain(APP_S_KEY);
    }
  }

  @Test
  void unknownSessionKeyDropsTheJoinAcceptNamingTheReason() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      f.as.handleUplink(List.of(seedJoinAccept())).get();
      assertThat(f.bus.names()).containsExactly("as.up.join.receive", "as.up.join.drop");
      ErrorDetails err = (ErrorDetails) f.bus.single("as.up.join.drop").data();
      assertThat(err.getName()).isEqualTo("not_found");
      assertThat(err.getMessageFormat()).contains("AppSKey").contains("Join Server");
      assertThat(f.store.session(AsTestFixture.ids())).isEmpty();
    }
  }
}
