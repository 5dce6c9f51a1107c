package dev.loralab.tests.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The stack's HTTP API ({@code /api/v3/...}) with an API key, through the JDK HTTP client. Every
 * call fails the test with the response body when the status is not the expected one.
 */
public final class HttpApi {

  /** The JSON mapper shared by the support classes. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI base;
  private final String apiKey;

  /**
   * @param http the client
   * @param base e.g. {@code http://localhost:1885}
   * @param apiKey the bearer token
   */
  public HttpApi(HttpClient http, URI base, String apiKey) {
    this.http = http;
    this.base = base;
    this.apiKey = apiKey;
  }

  /** The status code and body of a response. */
  public record Result(int status, String body) {
    /** The body as JSON ({@code {}} when empty). */
    public JsonNode json() {
      try {
        return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** A new empty JSON object. */
  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** URL-encodes a path segment or query value. */
  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** GET; expects 200. */
  public JsonNode get(String path) {
    return expect(200, send("GET", path, null), "GET " + path).json();
  }

  /** POST; expects 2xx. */
  public JsonNode post(String path, JsonNode body) {
    return expect2xx(send("POST", path, body), "POST " + path).json();
  }

  /** PUT; expects 2xx. */
  public JsonNode put(String path, JsonNode body) {
    return expect2xx(send("PUT", path, body), "PUT " + path).json();
  }

  /** Any request, returning whatever the server answered. */
  public Result send(String method, String path, JsonNode body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Timeouts.NETWORK)
        .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Result(r.statusCode(), r.body() == null ? "" : r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Result expect(int status, Result r, String what) {
    if (r.status() != status) {
      throw new AssertionError(what + ": expected HTTP " + status + ", found " + r.status() + " " + r.body());
    }
    return r;
  }

  private static Result expect2xx(Result r, String what) {
    if (r.status() < 200 || r.status() > 299) {
      throw new AssertionError(what + ": expected HTTP 2xx, found " + r.status() + " " + r.body());
    }
    return r;
  }

  // ---- registration ---------------------------------------------------------------------------

  /** Creates an application owned by {@code userId}. */
  public void createApplication(String userId, String applicationId) {
    ObjectNode body = object();
    body.putObject("application").putObject("ids").put("application_id", applicationId);
    post("/api/v3/users/" + enc(userId) + "/applications", body);
  }

  /** Creates a gateway owned by {@code userId}. */
  public void createGateway(String userId, String gatewayId, String eui, String frequencyPlanId) {
    ObjectNode body = object();
    ObjectNode gw = body.putObject("gateway");
    gw.putObject("ids").put("gateway_id", gatewayId).put("eui", eui);
    gw.put("frequency_plan_id", frequencyPlanId);
    post("/api/v3/users/" + enc(userId) + "/gateways", body);
  }

  /** Creates an end device ({@code end_device} object as The Things Stack's API takes it). */
  public JsonNode createEndDevice(String applicationId, ObjectNode endDevice) {
    ObjectNode body = object();
    body.set("end_device", endDevice);
    return post("/api/v3/applications/" + enc(applicationId) + "/devices", body);
  }

  /** Reads an end device with a field mask. */
  public JsonNode getEndDevice(String applicationId, String deviceId, String... fieldMask) {
    return get("/api/v3/applications/" + enc(applicationId) + "/devices/" + enc(deviceId)
        + (fieldMask.length == 0 ? "" : "?field_mask=" + enc(String.join(",", fieldMask))));
  }

  /** Updates an end device's fields named in {@code fieldMask}. */
  public JsonNode updateEndDevice(String applicationId, String deviceId, ObjectNode endDevice,
      String... fieldMask) {
    ObjectNode body = object();
    body.set("end_device", endDevice);
    body.putObject("field_mask").putArray("paths").addAll(
        java.util.Arrays.stream(fieldMask).map(JSON.getNodeFactory()::textNode).toList());
    return put("/api/v3/applications/" + enc(applicationId) + "/devices/" + enc(deviceId), body);
  }

  /** Updates an application's fields named in {@code fieldMask}. */
  public JsonNode updateApplication(String applicationId, ObjectNode application, String... fieldMask) {
    ObjectNode body = object();
    body.set("application", application);
    body.putObject("field_mask").putArray("paths").addAll(
        java.util.Arrays.stream(fieldMask).map(JSON.getNodeFactory()::textNode).toList());
    return put("/api/v3/applications/" + enc(applicationId), body);
  }
}
