package dev.loralab.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LoRaLabRegistrationTest {

  @Test
  void createsApplicationGatewaysAndDevicesAndAcceptsConflicts() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization")
          + " " + body);
      int status = body.contains("demo-gateway") ? 409 : body.contains("demo-abp") ? 400 : 200;
      byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
    try {
      Scenario s = new ScenarioParser().parse(
          java.nio.file.Files.isDirectory(java.nio.file.Path.of("scenarios"))
              ? java.nio.file.Path.of("scenarios", "demo-eu868.yaml")
              : java.nio.file.Path.of("simulator", "scenarios", "demo-eu868.yaml"));
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      LoRaLabRegistration.Result r = new LoRaLabRegistration(HttpClient.newHttpClient(), url, "NNSXS.KEY")
          .register(Provisioning.of(s), "admin");
      assertThat(r.created()).isEqualTo(4); // application + 3 OTAA devices
      assertThat(r.existing()).isEqualTo(1); // the gateway
      assertThat(r.failures()).singleElement().asString().startsWith("device demo-abp-0001-d0002001").contains("HTTP 400");
      assertThat(requests.get(0)).startsWith("POST /api/v3/users/admin/applications Bearer NNSXS.KEY")
          .contains("\"application_id\":\"sim-demo-eu868\"");
      assertThat(requests.get(1)).startsWith("POST /api/v3/users/admin/gateways")
          .contains("\"eui\":\"00800000A0000001\"").contains("\"frequency_plan_id\":\"EU_863_870\"");
      assertThat(requests.get(2)).startsWith("POST /api/v3/applications/sim-demo-eu868/devices")
          .contains("\"lorawan_version\":\"MAC_V1_0_3\"").contains("\"supports_join\":true")
          .contains("\"root_keys\":{\"app_key\":{\"key\":\"");
      assertThat(requests.get(5)).contains("\"session\":{\"dev_addr\":\"260B0001\"").contains("\"f_nwk_s_int_key\"");
    } finally {
      server.stop(0);
    }
  }
}
