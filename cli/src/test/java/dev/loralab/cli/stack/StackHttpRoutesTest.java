package dev.loralab.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.cli.config.StackConfig;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.gatewayserver.udp.SemtechUdpClient;
import dev.loralab.gatewayserver.udp.Stat;
import dev.loralab.lorawan.Eui64;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack serves the gateway server's connection statistics, the frequency plans and auth_info
 * over HTTP, on The Things Stack's paths.
 */
class StackHttpRoutesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Eui64 EUI = Eui64.parse("B827EBFFFE8DB8A1");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Stack stack;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.httpUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void gatewayConnectionStatsFrequencyPlansAndAuthInfo() throws Exception {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    String admin = stack.adminApiKey();
    assertThat(call("POST", "/api/v3/users/admin/gateways", admin,
        "{\"gateway\":{\"ids\":{\"gateway_id\":\"gw-stats\",\"eui\":\"" + EUI
            + "\"},\"frequency_plan_id\":\"EU_863_870_TTN\"}}").statusCode()).isEqualTo(200);

    String stats = "/api/v3/gs/gateways/gw-stats/connection/stats";
    assertThat(call("GET", stats, null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> notConnected = call("GET", stats, admin, null);
    assertThat(notConnected.statusCode()).isEqualTo(404);
    assertThat(notConnected.body()).contains("gateway not connected");

    try (SemtechUdpClient gw = new SemtechUdpClient(new InetSocketAddress("127.0.0.1", stack.udpPort()))) {
      gw.send(new PullData(2, 1, EUI));
      assertThat(gw.await(PullAck.class, WAIT)).isPresent();
      gw.send(new PushData(2, 2, EUI, List.of(),
          Optional.of(Stat.counters("2026-01-01 00:00:00 GMT", 0, 0, 0, 100.0, 0, 0))));
      assertThat(gw.await(PushAck.class, WAIT)).isPresent();
      JsonNode s = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = call("GET", stats, admin, null);
        if (r.statusCode() == 200 && r.body().contains("last_status")) {
          s = JSON.readTree(r.body());
          break;
        }
        Thread.sleep(50);
      }
      assertThat(s).as("stats with the status message").isNotNull();
      assertThat(s.get("protocol").asText()).isEqualTo("udp");
      assertThat(s.has("connected_at")).isTrue();
      assertThat(s.has("last_status_received_at")).isTrue();
    }

    HttpResponse<String> plans = call("GET", "/api/v3/configuration/frequency-plans", admin, null);
    assertThat(plans.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(plans.body()).get("frequency_plans").toString())
        .contains("\"id\":\"EU_863_870_TTN\"", "\"base_frequency\":868");
    assertThat(call("GET", "/api/v3/configuration/frequency-plans", null, null).statusCode()).isEqualTo(401);

    JsonNode info = JSON.readTree(call("GET", "/api/v3/auth_info", admin, null).body());
    assertThat(info.at("/api_key/entity_ids/user_ids/user_id").asText()).isEqualTo("admin");
    assertThat(info.get("is_admin").asBoolean()).isTrue();
  }
}
