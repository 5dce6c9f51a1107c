package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.web.HttpServer;
import dev.loralab.web.HttpServerConfig;
import dev.loralab.web.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An identity server on RocksDB in a directory, served over real HTTP on a free port. */
final class HttpFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final Path dataDir;
  final MutableClock clock;
  final IdentityServer server;
  final HttpServer http;
  final ExecutorService handlers = Executors.newFixedThreadPool(2);
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  final String adminToken;

  record Reply(int status, String body, java.net.http.HttpHeaders headers) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    Reply expect(int expected) {
      assertThat(status).as("status of reply %s", body).isEqualTo(expected);
      return this;
    }
  }

  HttpFixture(Path dataDir, MutableClock clock) throws IOException {
    this.dataDir = dataDir;
    this.clock = clock;
    this.server = IdentityServer.builder(IdentityServerConfig.defaults()
            .withDataDirectory(dataDir).withApiKeyHashIterations(1000).withMaxPageSize(50))
        .clock(clock).random(new Random(42)).build();
    Router router = new Router();
    server.registerRoutes(router);
    this.http = new HttpServer(HttpServerConfig.defaults().withBindAddress("127.0.0.1").withPort(0),
        router, handlers, new SimpleMeterRegistry()).start();
    this.adminToken = Files.readString(dataDir.resolve("admin-api-key")).trim();
  }

  static HttpFixture start(Path dir) throws IOException {
    return new HttpFixture(dir, new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
  }

  Reply call(String method, String path, String token, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Reply get(String path, String token) {
    return call("GET", path, token, null);
  }

  Reply post(String path, String token, String body) {
    return call("POST", path, token, body);
  }

  Reply put(String path, String token, String body) {
    return call("PUT", path, token, body);
  }

  Reply delete(String path, String token) {
    return call("DELETE", path, token, null);
  }

  /** Creates user {@code id} (as admin) and returns a token of that user with the rights. */
  String user(String id, String... rights) {
    post("/api/v3/users", adminToken, "{\"user\":{\"ids\":{\"user_id\":\"" + id + "\"}}}").expect(200);
    return apiKey("users", id, rights);
  }

  /** Creates an API key (as admin) and returns its token. */
  String apiKey(String kind, String id, String... rights) {
    StringBuilder rs = new StringBuilder();
    for (String r : rights) {
      rs.append(rs.length() == 0 ? "" : ",").append('"').append(r).append('"');
    }
    return post("/api/v3/" + kind + "/" + id + "/api-keys", adminToken,
        "{\"name\":\"test\",\"rights\":[" + rs + "]}").expect(200).json().get("key").asText();
  }

  @Override
  public void close() {
    http.close();
    handlers.shutdownNow();
    server.close();
  }
}
