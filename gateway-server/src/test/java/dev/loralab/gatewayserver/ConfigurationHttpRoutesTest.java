package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.auth.StaticAccessControl;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ConfigurationHttpRoutesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FrequencyPlanStore PLANS = FrequencyPlanStore.builtIn();

  // Any valid key will do, here an application key with a single right.
  private final Router router = new ConfigurationHttpRoutes(PLANS, StaticAccessControl.builder()
      .token("app", "k1", EntityIdentifiers.newBuilder().setApplicationIds(
          ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build(),
          RightSet.of(Right.RIGHT_APPLICATION_INFO))
      .build()).register(new Router());

  private Response get(Map<String, List<String>> query, String token) throws Exception {
    String path = ConfigurationHttpRoutes.FREQUENCY_PLANS;
    Router.Found found = (Router.Found) router.match("GET", path);
    Map<String, List<String>> headers = token == null ? Map.of()
        : Map.of("Authorization", List.of("Bearer " + token));
    Request req = new Request("GET", path, found.pattern(), found.params(), query, headers,
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

  private static List<String> ids(Response r) throws Exception {
    assertThat(r.status()).as(r.bodyUtf8()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    // an empty list is omitted, as proto3 JSON does
    JSON.readTree(r.bodyUtf8()).path("frequency_plans").forEach(p -> ids.add(p.get("id").asText()));
    return ids;
  }

  @Test
  void listsEveryPlanOfTheStoreInTheThingsStacksShape() throws Exception {
    Response r = get(Map.of(), "app");
    assertThat(ids(r)).containsExactlyElementsOf(PLANS.descriptions().stream()
        .map(dev.loralab.frequencyplans.FrequencyPlanDescription::id).toList());
    JsonNode ttn = null;
    for (JsonNode p : JSON.readTree(r.bodyUtf8()).get("frequency_plans")) {
      if (p.get("id").asText().equals("EU_863_870_TTN")) {
        ttn = p;
      }
    }
    assertThat(ttn).isNotNull();
    assertThat(ttn.get("base_id").asText()).isEqualTo("EU_863_870");
    assertThat(ttn.get("name").asText()).isEqualTo("Europe 863-870 MHz, RX2 at SF9");
    assertThat(ttn.get("base_frequency").asInt()).isEqualTo(868);
    assertThat(ttn.get("band_id").asText()).isEqualTo("EU_863_870");
  }

  @Test
  void filtersByBaseFrequencyAndBand() throws Exception {
    assertThat(ids(get(Map.of("base_frequency", List.of("915")), "app")))
        .contains("US_902_928_FSB_1", "US_902_928_FSB_2").doesNotContain("EU_863_870");
    assertThat(ids(get(Map.of("band_id", List.of("EU_863_870")), "app")))
        .containsExactly("EU_863_870", "EU_863_870_TTN");
    assertThat(ids(get(Map.of("base_frequency", List.of("868"), "band_id", List.of("US_902_928")),
        "app"))).isEmpty();
    assertThat(ids(get(Map.of("base_frequency", List.of("0")), "app")))
        .hasSize(PLANS.descriptions().size());
  }

  @Test
  void needsAValidKeyAndAWellFormedFilter() throws Exception {
    assertThat(get(Map.of(), null).status()).isEqualTo(401);
    assertThat(get(Map.of(), "nope").status()).isEqualTo(401);
    Response bad = get(Map.of("base_frequency", List.of("8x")), "app");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.bodyUtf8()).contains("base_frequency").contains("8x");
    assertThat(get(Map.of("base_frequency", List.of("9".repeat(30))), "app").status())
        .isEqualTo(400);
    assertThat(get(Map.of("band_id", List.of("B".repeat(65))), "app").status()).isEqualTo(400);
  }
}
