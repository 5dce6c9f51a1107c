package dev.loralab.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates a scenario's application, gateways and devices in LoRaLab (or The Things Stack, whose
 * API LoRaLab follows) over HTTP with an API key. Existing entities (HTTP 409) are fine, so a
 * scenario can be registered again before every run.
 */
public final class LoRaLabRegistration {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI apiUrl;
  private final String apiKey;

  /**
   * @param http the client (its executor and timeouts are the caller's)
   * @param apiUrl base URL, e.g. {@code http://localhost:1885}
   * @param apiKey an API key with rights to create gateways, applications and devices
   */
  public LoRaLabRegistration(HttpClient http, URI apiUrl, String apiKey) {
    this.http = http;
    this.apiUrl = apiUrl;
    this.apiKey = apiKey;
  }

  /**
   * Outcome of a registration.
   *
   * @param created entities created
   * @param existing entities that already existed (409)
   * @param failures one line per failed request
   */
  public record Result(int created, int existing, List<String> failures) {
    /** Copies. */
    public Result {
      failures = List.copyOf(failures);
    }

    /** True if nothing failed. */
    public boolean ok() {
      return failures.isEmpty();
    }
  }

  /**
   * Registers everything a scenario needs under a user.
   *
   * @throws InterruptedException if interrupted
   */
  public Result register(Provisioning p, String userId) throws InterruptedException {
    int[] counts = new int[2];
    List<String> failures = new ArrayList<>();
    String user = enc(userId);
    if (!p.devices().isEmpty()) {
      String app = p.devices().get(0).applicationId();
      ObjectNode body = JSON.createObjectNode();
      body.putObject("application").putObject("ids").put("application_id", app);
      post("/api/v3/users/" + user + "/applications", body, "application " + app, counts, failures);
    }
    for (Scenario.GatewaySpec g : p.gateways()) {
      post("/api/v3/users/" + user + "/gateways", p.gatewayRequest(g), "gateway " + g.id(), counts, failures);
    }
    for (Provisioning.Device d : p.devices()) {
      post("/api/v3/applications/" + enc(d.applicationId()) + "/devices", p.deviceRequest(d),
          "device " + Provisioning.deviceId(d), counts, failures);
    }
    return new Result(counts[0], counts[1], failures);
  }

  private void post(String path, ObjectNode body, String what, int[] counts, List<String> failures)
      throws InterruptedException {
    HttpRequest req;
    try {
      req = HttpRequest.newBuilder(apiUrl.resolve(path)).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    } catch (IOException | IllegalArgumentException e) {
      failures.add(what + ": " + e.getMessage());
      return;
    }
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      int s = resp.statusCode();
      if (s >= 200 && s < 300) {
        counts[0]++;
      } else if (s == 409) {
        counts[1]++;
      } else {
        String b = resp.body() == null ? "" : resp.body().replaceAll("\\s+", " ");
        failures.add(what + ": HTTP " + s + " " + (b.length() > 200 ? b.substring(0, 200) + "..." : b));
      }
    } catch (IOException e) {
      failures.add(what + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
