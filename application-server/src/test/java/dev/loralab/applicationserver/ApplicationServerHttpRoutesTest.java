package dev.loralab.applicationserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.auth.StaticAccessControl;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplicationServerHttpRoutesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOWN = "/api/v3/as/applications/app1/devices/dev2/down";

  private final AsTestFixture f = new AsTestFixture();
  private final Router router = new ApplicationServerHttpRoutes(f.as, StaticAccessControl.builder()
      .token("full", "k1", app("app1"), RightSet.of(Right.RIGHT_APPLICATION_ALL))
      .token("read", "k2", app("app1"), RightSet.of(Right.RIGHT_APPLICATION_TRAFFIC_READ))
      .token("other", "k3", app("app9"), RightSet.of(Right.RIGHT_APPLICATION_ALL))
      .build()).register(new Router());

  private static EntityIdentifiers app(String id) {
    return EntityIdentifiers.newBuilder()
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId(id)).build();
  }

  @AfterEach
  void close() {
    f.close();
  }

  /** Calls the matching handler like the server does: ApiExceptions become error responses. */
  private Response call(String method, String path, String token, String body) throws Exception {
    String rawPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    Map<String, List<String>> query = path.contains("?")
        ? Map.of(path.substring(path.indexOf('?') + 1).split("=")[0],
            List.of(path.substring(path.indexOf('?') + 1).split("=")[1]))
        : Map.of();
    Router.Found found = (Router.Found) router.match(method, rawPath);
    Map<String, List<String>> headers = token == null ? Map.of()
        : Map.of("Authorization", List.of("Bearer " + token));
    Request req = new Request(method, rawPath, found.pattern(), found.params(), query, headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1:1234");
    CompletableFuture<Response> resp;
    try {
      resp = found.handler().handle(req);
    } catch (ApiException e) {
      return Response.json(e.httpStatus(), e.toErrorJson());
    }
    try {
      return resp.get();
    } catch (ExecutionException e) {
      ApiException api = ApiException.from(e);
      return Response.json(api.httpStatus(), api.toErrorJson());
    }
  }

  private void session() {
    f.store.putSession(AsTestFixture.ids(), new AsSession(UplinkTest.SID,
        AesKey.parse(UplinkTest.KEY), DevAddr.parse("01020304"), 0));
  }

  @Test
  void pushThenListOverHttp() throws Exception {
    session();
    String b64 = Base64.getEncoder().encodeToString(HexBytes.parse("p", "01020304"));
    Response push = call("POST", DOWN + "/push", "full",
        "{\"downlinks\":[{\"f_port\":1,\"frm_payload\":\"" + b64
            + "\",\"confirmed\":true,\"priority\":\"HIGH\"}]}");
    assertThat(push.status()).as(push.bodyUtf8()).isEqualTo(200);
    assertThat(f.ns.pushes).hasSize(1);
    assertThat(HexBytes.format(f.ns.pushes.get(0).getDownlinks(0).getFrmPayload().toByteArray()))
        .isEqualTo("4E75F440");
    assertThat(f.ns.pushes.get(0).getDownlinks(0).getConfirmed()).isTrue();
    dev.loralab.api.v3.Event receive = f.bus.single("as.down.data.receive").toProto();
    assertThat(receive.getAuthentication().getTokenId()).isEqualTo("k1");
    assertThat(receive.getRemoteIp()).isEqualTo("127.0.0.1");

    Response list = call("GET", DOWN, "read", null);
    assertThat(list.status()).isEqualTo(200);
    JsonNode dl = JSON.readTree(list.bodyUtf8()).get("downlinks").get(0);
    assertThat(dl.get("frm_payload").asText()).isEqualTo(b64);
    assertThat(dl.get("f_cnt").asInt()).isEqualTo(1);
    assertThat(list.bodyUtf8()).doesNotContain("app_s_key");
  }

  @Test
  void replaceOverHttp() throws Exception {
    session();
    Response r = call("POST", DOWN + "/replace", "full",
        "{\"downlinks\":[{\"f_port\":2,\"frm_payload\":\"AQ==\"}]}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(f.ns.replaces).hasSize(1);
  }

  @Test
  void errors() throws Exception {
    session();
    String body = "{\"downlinks\":[{\"f_port\":1,\"frm_payload\":\"AQ==\"}]}";
    assertThat(call("POST", DOWN + "/push", null, body).status()).isEqualTo(401);
    assertThat(call("POST", DOWN + "/push", "nope", body).status()).isEqualTo(401);
    assertThat(call("POST", DOWN + "/push", "read", body).status()).isEqualTo(403);
    assertThat(call("POST", DOWN + "/push", "other", body).status()).isEqualTo(403);
    assertThat(call("GET", DOWN, "other", null).status()).isEqualTo(403);
    Response badPort = call("POST", DOWN + "/push", "full",
        "{\"downlinks\":[{\"f_port\":0,\"frm_payload\":\"AQ==\"}]}");
    assertThat(badPort.status()).isEqualTo(400);
    assertThat(badPort.bodyUtf8()).contains("f_port");
    Response badJson = call("POST", DOWN + "/push", "full", "{\"downlinks\":[{\"f_prt\":1}]}");
    assertThat(badJson.status()).isEqualTo(400);
    Response tooBig = call("POST", DOWN + "/push", "full", "{" + " ".repeat(70_000) + "}");
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(tooBig.bodyUtf8()).contains("at most 65536 bytes");
    assertThat(f.ns.pushes).isEmpty();
  }

  @Test
  void noSessionIsA412() throws Exception {
    Response r = call("POST", DOWN + "/push", "full",
        "{\"downlinks\":[{\"f_port\":1,\"frm_payload\":\"AQ==\"}]}");
    assertThat(r.status()).isEqualTo(412);
  }

  @Test
  void webhookCrudOverHttp() throws Exception {
    String hooks = "/api/v3/as/webhooks/app1";
    Response created = call("POST", hooks, "full", """
        {"webhook":{"ids":{"webhook_id":"wh1"},"base_url":"https://example.com/lora",
          "headers":{"X-Token":"t"},"uplink_message":{"path":"/up"}}}
        """);
    assertThat(created.status()).as(created.bodyUtf8()).isEqualTo(200);
    JsonNode w = JSON.readTree(created.bodyUtf8());
    assertThat(w.get("ids").get("application_ids").get("application_id").asText())
        .isEqualTo("app1");
    assertThat(w.get("format").asText()).isEqualTo("json");

    Response updated = call("PUT", hooks + "/wh1", "full", """
        {"webhook":{"base_url":"https://example.org/"},"field_mask":{"paths":["base_url"]}}
        """);
    assertThat(updated.status()).as(updated.bodyUtf8()).isEqualTo(200);
    assertThat(JSON.readTree(updated.bodyUtf8()).get("headers").get("X-Token").asText())
        .isEqualTo("t");

    Response got = call("GET", hooks + "/wh1?field_mask=base_url", "full", null);
    assertThat(JSON.readTree(got.bodyUtf8()).get("base_url").asText())
        .isEqualTo("https://example.org/");
    assertThat(JSON.readTree(got.bodyUtf8()).has("headers")).isFalse();

    Response list = call("GET", hooks, "full", null);
    assertThat(JSON.readTree(list.bodyUtf8()).get("webhooks")).hasSize(1);
    assertThat(call("GET", hooks, "read", null).status()).isEqualTo(403);
    assertThat(call("GET", hooks, null, null).status()).isEqualTo(401);
    assertThat(call("POST", hooks, "full", "{\"webhook\":{\"ids\":{\"webhook_id\":\"wh2\"},"
        + "\"base_url\":\"not a url\"}}").status()).isEqualTo(400);

    assertThat(call("DELETE", hooks + "/wh1", "full", null).status()).isEqualTo(200);
    assertThat(call("GET", hooks + "/wh1", "full", null).status()).isEqualTo(404);
  }

  @Test
  void applicationFormattersOverHttp() throws Exception {
    String path = "/api/v3/as/applications/app1/formatters";
    Response put = call("PUT", path, "full", "{\"up_formatter\":\"FORMATTER_CAYENNELPP\"}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(call("GET", path, "full", null).bodyUtf8()).contains("FORMATTER_CAYENNELPP");
    assertThat(call("PUT", path, "read", "{}").status()).isEqualTo(403);
  }

  @Test
  void invalidApplicationOrDeviceIdsInThePathAre400() throws Exception {
    for (String bad : List.of("UPPER", "-leading", "a", "a".repeat(37), "a;b", "a--b")) {
      assertThat(call("GET", "/api/v3/as/applications/" + bad + "/formatters", "full", null).status())
          .as("GET formatters of '%s'", bad).isEqualTo(400);
      assertThat(call("PUT", "/api/v3/as/applications/" + bad + "/formatters", "full", "{}").status())
          .as("PUT formatters of '%s'", bad).isEqualTo(400);
      assertThat(call("GET", "/api/v3/as/applications/app1/devices/" + bad + "/down", "full", null).status())
          .as("downlink queue of device '%s'", bad).isEqualTo(400);
    }
  }
}
