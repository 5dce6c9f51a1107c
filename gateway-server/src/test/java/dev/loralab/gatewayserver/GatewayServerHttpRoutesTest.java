package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.auth.StaticAccessControl;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayConnectionStats;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayStatus;
import dev.loralab.api.v3.Right;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class GatewayServerHttpRoutesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final GatewayConnectionStats STATS = GatewayConnectionStats.newBuilder()
      .setConnectedAt(Timestamp.newBuilder().setSeconds(1767225600)) // 2026-01-01T00:00:00Z
      .setProtocol("udp")
      .setLastStatusReceivedAt(Timestamp.newBuilder().setSeconds(1767225630))
      .setLastStatus(GatewayStatus.newBuilder().setTime(Timestamp.newBuilder()
          .setSeconds(1767225630)).putMetrics("rxok", 1f))
      .setLastUplinkReceivedAt(Timestamp.newBuilder().setSeconds(1767225631))
      .setUplinkCount(3)
      .setLastDownlinkReceivedAt(Timestamp.newBuilder().setSeconds(1767225632))
      .setDownlinkCount(1)
      .setRoundTripTimes(GatewayConnectionStats.RoundTripTimes.newBuilder()
          .setMin(Duration.newBuilder().setNanos(30_000_000))
          .setMax(Duration.newBuilder().setNanos(30_000_000))
          .setMedian(Duration.newBuilder().setNanos(30_000_000)).setCount(1))
      .build();

  private final Router router = new GatewayServerHttpRoutes(
      id -> id.equals("gw1") ? Optional.of(STATS) : Optional.empty(),
      StaticAccessControl.builder()
          .token("status", "k1", gateway("gw1"), RightSet.of(Right.RIGHT_GATEWAY_STATUS_READ))
          .token("info", "k2", gateway("gw1"), RightSet.of(Right.RIGHT_GATEWAY_INFO))
          .token("other", "k3", gateway("gw9"), RightSet.of(Right.RIGHT_GATEWAY_ALL))
          .token("all", "k4", gateway("gw2"), RightSet.of(Right.RIGHT_GATEWAY_ALL))
          .build()).register(new Router());

  private static EntityIdentifiers gateway(String id) {
    return EntityIdentifiers.newBuilder()
        .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId(id)).build();
  }

  private Response get(String gatewayId, String token) throws Exception {
    String path = "/api/v3/gs/gateways/" + gatewayId + "/connection/stats";
    Router.Found found = (Router.Found) router.match("GET", path);
    Map<String, List<String>> headers = token == null ? Map.of()
        : Map.of("Authorization", List.of("Bearer " + token));
    Request req = new Request("GET", path, found.pattern(), found.params(), Map.of(), headers,
        new byte[0], "127.0.0.1:1234");
    try {
      return found.handler().handle(req).get();
    } catch (ApiException e) {
      return Response.json(e.httpStatus(), e.toErrorJson());
    } catch (ExecutionException e) {
      ApiException api = ApiException.from(e);
      return Response.json(api.httpStatus(), api.toErrorJson());
    }
  }

  @Test
  void statsOfAConnectedGatewayInTheThingsStacksShape() throws Exception {
    Response r = get("gw1", "status");
    assertThat(r.status()).as(r.bodyUtf8()).isEqualTo(200);
    JsonNode j = JSON.readTree(r.bodyUtf8());
    assertThat(j.get("connected_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(j.get("protocol").asText()).isEqualTo("udp");
    assertThat(j.get("last_status_received_at").asText()).isEqualTo("2026-01-01T00:00:30Z");
    assertThat(j.at("/last_status/metrics/rxok").asDouble()).isEqualTo(1.0);
    assertThat(j.get("last_uplink_received_at").asText()).isEqualTo("2026-01-01T00:00:31Z");
    assertThat(j.get("uplink_count").asText()).isEqualTo("3"); // uint64 as a JSON string
    assertThat(j.get("last_downlink_received_at").asText()).isEqualTo("2026-01-01T00:00:32Z");
    assertThat(j.get("downlink_count").asText()).isEqualTo("1");
    assertThat(j.at("/round_trip_times/min").asText()).isEqualTo("0.030s");
    assertThat(j.at("/round_trip_times/max").asText()).isEqualTo("0.030s");
    assertThat(j.at("/round_trip_times/median").asText()).isEqualTo("0.030s");
    assertThat(j.at("/round_trip_times/count").asInt()).isEqualTo(1);
  }

  @Test
  void notConnectedIs404() throws Exception {
    Response r = get("gw2", "all");
    assertThat(r.status()).isEqualTo(404);
    JsonNode j = JSON.readTree(r.bodyUtf8());
    assertThat(j.get("message").asText()).isEqualTo("gateway not connected");
    assertThat(j.at("/details/0/name").asText()).isEqualTo("not_connected");
    assertThat(j.at("/details/0/attributes/gateway_id").asText()).isEqualTo("gw2");
  }

  @Test
  void needsAKeyWithStatusRightsOnTheGateway() throws Exception {
    assertThat(get("gw1", null).status()).isEqualTo(401);
    assertThat(get("gw1", "nope").status()).isEqualTo(401);
    assertThat(get("gw1", "info").status()).isEqualTo(403);
    // a key of another gateway learns nothing about gw1, connected or not
    assertThat(get("gw1", "other").status()).isEqualTo(403);
    assertThat(get("gw2", "other").status()).isEqualTo(403);
  }

  @Test
  void malformedGatewayIdIs400() throws Exception {
    Response r = get("GW_1", "status");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyUtf8()).contains("gateway_id");
    assertThat(get("x".repeat(100), "status").status()).isEqualTo(400);
  }
}
