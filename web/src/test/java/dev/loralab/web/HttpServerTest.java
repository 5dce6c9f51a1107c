package dev.loralab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {

  private static final dev.loralab.api.auth.AccessControl ACCESS = dev.loralab.api.auth.StaticAccessControl.builder()
      .token("secret", "key1", dev.loralab.api.auth.EntityKeys.user("u"),
          dev.loralab.api.auth.RightSet.of(dev.loralab.api.v3.Right.RIGHT_ALL)).build();

  private ExecutorService executor;
  private SimpleMeterRegistry registry;
  private HttpServer server;
  private HttpClient client;
  private final CountDownLatch streamClosed = new CountDownLatch(1);
  private final AtomicReference<StreamingResponse> openStream = new AtomicReference<>();
  private final CountDownLatch streamOpened = new CountDownLatch(1);
  private final CountDownLatch floodStarted = new CountDownLatch(1);
  private final CountDownLatch writableAgain = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicBoolean floodBlocked = new java.util.concurrent.atomic.AtomicBoolean();

  @BeforeEach
  void start() {
    executor = Executors.newFixedThreadPool(4);
    registry = new SimpleMeterRegistry();
    Router router = new Router()
        .get("/hello", Handler.sync(r -> Response.text(200, "hello")))
        .get("/api/v3/applications/{application_id}/devices/{device_id}", Handler.sync(r ->
            Response.json(200, "{\"app\":\"" + r.pathParam("application_id") + "\",\"dev\":\""
                + r.pathParam("device_id") + "\",\"q\":\"" + r.query("q").orElse("") + "\"}")))
        .get("/api/v3/applications/special", Handler.sync(r -> Response.text(200, "literal")))
        .post("/echo", Handler.sync(r -> Response.json(200, r.json().toString())))
        .get("/auth", Handler.sync(r -> Response.text(200, r.bearerToken().orElse("none"))))
        .get("/caller", Handler.sync(r -> Response.text(200, r.authenticate(ACCESS).apiKeyId())))
        .post("/proto", Handler.sync(r -> Response.json(200, dev.loralab.api.ProtoJson.print(
            r.proto(dev.loralab.api.v3.FindRelatedEventsRequest.newBuilder())))))
        .get("/headers", Handler.sync(r -> Response.text(200, r.header("x-MiXeD").orElse("?"))))
        .get("/fail/api", Handler.sync(r -> {
          throw ApiException.invalidArgument("x", "expected y, found z");
        }))
        .get("/fail/async", r -> CompletableFuture.failedFuture(ApiException.invalidArgument("a", "async bad")))
        .get("/fail/bug", Handler.sync(r -> {
          throw new IllegalStateException("secret internal detail");
        }))
        .get("/stream", Handler.sync(r -> Response.streaming(200, Map.of("Content-Type", "text/plain"), s -> {
          s.onClose(streamClosed::countDown);
          openStream.set(s);
          s.writeAndFlush("first\n");
          streamOpened.countDown();
        })));
    router.get("/chunks", Handler.sync(r -> Response.streaming(200, Map.of("Content-Type", "text/plain"), s -> {
      s.write("a");
      s.write("bc".getBytes(StandardCharsets.UTF_8));
      s.write("");
      s.write("déf");
      s.flush();
      s.write("g");
      s.close();
    })));
    router.get("/flood", Handler.sync(r -> Response.streaming(200, Map.of("Content-Type", "text/plain"), s -> {
      s.onWritabilityChanged(w -> {
        if (w) {
          writableAgain.countDown();
        }
      });
      String chunk = "x".repeat(64 * 1024);
      long written = 0;
      boolean blocked = false;
      // Bounded far above the water marks, but low enough that a producer racing ahead of the
      // event loop cannot fill the test JVM's heap with queued chunks.
      while (written < (64L << 20)) {
        if (!s.isWritable()) {
          // what the producer saw (asking again could already find it drained into the kernel)
          blocked = true;
          break;
        }
        s.writeAndFlush(chunk);
        written += chunk.length();
      }
      floodBlocked.set(blocked);
      floodStarted.countDown();
    })));
    new StaticResources(getClass().getClassLoader(), "static-test", "/static").register(router);
    server = new HttpServer(HttpServerConfig.defaults().withBindAddress("127.0.0.1").withPort(0)
        .withMaxBodyBytes(1024).withMaxHeaderBytes(2048), router, executor, registry).start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
  }

  @AfterEach
  void stop() {
    server.close();
    executor.shutdownNow();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, byte[] body) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesSimpleRoute() throws Exception {
    var r = get("/hello");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello");
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    assertThat(server.port()).isPositive();
  }

  @Test
  void decodesPathAndQueryParams() throws Exception {
    var r = get("/api/v3/applications/app%2D1/devices/dev-1?q=a%20b");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"app\":\"app-1\",\"dev\":\"dev-1\",\"q\":\"a b\"}");
  }

  @Test
  void literalSegmentsBeatParameters() throws Exception {
    assertThat(get("/api/v3/applications/special").body()).isEqualTo("literal");
  }

  @Test
  void rejectsBadPathParams() throws Exception {
    assertThat(get("/api/v3/applications/a%2Fb/devices/d").statusCode()).isEqualTo(400);
    assertThat(get("/api/v3/applications/%2E%2E/devices/d").statusCode()).isEqualTo(400);
    assertThat(get("/api/v3/applications/a%01/devices/d").statusCode()).isEqualTo(400);
    var bad = get("/api/v3/applications/%C3/devices/d");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"code\":3").contains("application_id");
    assertThat(rawRequest("GET /api/v3/applications/%zz/devices/d HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 400");
  }

  @Test
  void unknownPathIs404Json() throws Exception {
    var r = get("/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).startsWith("{\"code\":5,");
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    var r = post("/hello", new byte[0]);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void headUsesGetRoute() throws Exception {
    var r = client.send(HttpRequest.newBuilder(uri("/hello")).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("content-length")).hasValue("5");
  }

  @Test
  void jsonBodyParsedAndErrorsAre400() throws Exception {
    assertThat(post("/echo", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)).body()).isEqualTo("{\"a\":1}");
    var syntax = post("/echo", "{\"a\":".getBytes(StandardCharsets.UTF_8));
    assertThat(syntax.statusCode()).isEqualTo(400);
    assertThat(syntax.body()).contains("expected JSON");
    var utf8 = post("/echo", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
    assertThat(utf8.statusCode()).isEqualTo(400);
    assertThat(utf8.body()).contains("UTF-8");
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    var r = post("/echo", new byte[4096]);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(get("/hello").statusCode()).isEqualTo(200);
  }

  @Test
  void oversizedHeadersAreRejected() throws Exception {
    var r = get("/hello", "X-Big", "a".repeat(4000));
    assertThat(r.statusCode()).isEqualTo(431);
    assertThat(get("/hello").statusCode()).isEqualTo(200);
  }

  @Test
  void bearerTokenAndCaseInsensitiveHeaders() throws Exception {
    assertThat(get("/auth", "Authorization", "Bearer NNSXS.ABC.DEF").body()).isEqualTo("NNSXS.ABC.DEF");
    assertThat(get("/auth", "Authorization", "Basic xyz").body()).isEqualTo("none");
    assertThat(get("/auth").body()).isEqualTo("none");
    assertThat(get("/headers", "X-Mixed", "v").body()).isEqualTo("v");
  }

  @Test
  void authenticateAndProtoBodies() throws Exception {
    assertThat(get("/caller", "Authorization", "Bearer secret").body()).isEqualTo("key1");
    assertThat(get("/caller").statusCode()).isEqualTo(401);
    assertThat(get("/caller", "Authorization", "Basic x").statusCode()).isEqualTo(401);
    assertThat(get("/caller", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(post("/proto", "{\"correlation_id\":\"x\"}".getBytes(StandardCharsets.UTF_8)).body())
        .isEqualTo("{\"correlation_id\":\"x\"}");
    assertThat(post("/proto", new byte[0]).body()).isEqualTo("{}");
    var unknown = post("/proto", "{\"nope\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("invalid body");
  }

  @Test
  void apiExceptionsBecomeJsonErrors() throws Exception {
    var r = get("/fail/api");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"code\":3").contains("invalid x: expected y, found z");
    assertThat(get("/fail/async").statusCode()).isEqualTo(400);
  }

  @Test
  void unexpectedExceptionsAreGeneric500() throws Exception {
    var r = get("/fail/bug");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).doesNotContain("secret").doesNotContain("Exception").contains("internal error");
    assertThat(get("/hello").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsByRouteAndStatus() throws Exception {
    get("/hello");
    get("/api/v3/applications/a/devices/b");
    get("/nope");
    assertThat(registry.get("http.server.requests").tag("route", "/hello").tag("status", "200").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("http.server.requests")
        .tag("route", "/api/v3/applications/{application_id}/devices/{device_id}").timer().count()).isEqualTo(1);
    assertThat(registry.get("http.server.requests").tag("status", "404").timer().count()).isEqualTo(1);
  }

  @Test
  void streamingResponseIsReadIncrementallyAndDisconnectTriggersOnClose() throws Exception {
    HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri("/stream")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo("first");
    assertThat(streamOpened.await(60, TimeUnit.SECONDS)).isTrue();
    StreamingResponse s = openStream.get();
    Thread writer = new Thread(() -> s.writeAndFlush("second\n"));
    writer.start();
    assertThat(reader.readLine()).isEqualTo("second");
    assertThat(s.isOpen()).isTrue();
    assertThat(s.isWritable()).isTrue();
    assertThat(streamClosed.getCount()).isEqualTo(1);
    r.body().close();
    assertThat(streamClosed.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(s.isOpen()).isFalse();
    assertThat(s.write("late")).isFalse();
  }

  @Test
  void streamCloseEndsResponseAndKeepsConnection() throws Exception {
    CompletableFuture<HttpResponse<String>> f = client.sendAsync(HttpRequest.newBuilder(uri("/stream")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(streamOpened.await(60, TimeUnit.SECONDS)).isTrue();
    openStream.get().write("a");
    openStream.get().close();
    var r = f.get(60, TimeUnit.SECONDS);
    assertThat(r.body()).isEqualTo("first\na");
    assertThat(streamClosed.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(get("/hello").body()).isEqualTo("hello");
  }

  /** A GET request written on a socket of its own, whose response the test reads raw. */
  private Socket rawGet(String path) throws java.io.IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(60_000);
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return s;
  }

  @Test
  void streamingBackPressureFollowsChannelWritability() throws Exception {
    try (Socket s = rawGet("/flood")) {
      // the client reads nothing: the producer must see the channel become unwritable
      assertThat(floodStarted.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(floodBlocked.get()).isTrue();
      // (the kernel may absorb some data first, so writability can come back before we read).
      // Read with a short timeout: once everything sent is read, a blocking read would wait for
      // data that never comes while the writability signal arrives meanwhile.
      InputStream in = s.getInputStream();
      s.setSoTimeout(200);
      byte[] buf = new byte[1 << 16];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (writableAgain.getCount() > 0 && System.nanoTime() < deadline) {
        try {
          if (in.read(buf) < 0) {
            break;
          }
        } catch (java.net.SocketTimeoutException nothingToRead) {
          // nothing more sent yet: check the signal again
        }
      }
      assertThat(writableAgain.getCount()).isZero();
    }
  }

  @Test
  void chunksWrittenBetweenFlushesGoOutAsOneHttpChunk() throws Exception {
    try (Socket s = rawGet("/chunks")) {
      java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      int b;
      // until the last chunk (the connection stays open)
      while (!received.toString(StandardCharsets.UTF_8).endsWith("\r\n0\r\n\r\n") && (b = in.read()) >= 0) {
        received.write(b);
      }
      String response = received.toString(StandardCharsets.UTF_8);
      // One chunk of 7 bytes ("abcdéf", é is two bytes of UTF-8) for the four writes before the
      // flush, the empty write adding nothing; the write before close in a chunk of its own; the end.
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      assertThat(body).isEqualTo("7\r\nabcdéf\r\n1\r\ng\r\n0\r\n\r\n");
    }
  }

  @Test
  void chunksOfSeveralWritersKeepEachWritersOrder() throws Exception {
    HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri("/stream")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo("first");
    assertThat(streamOpened.await(60, TimeUnit.SECONDS)).isTrue();
    StreamingResponse stream = openStream.get();
    int perWriter = 2000;
    List<Thread> writers = new java.util.ArrayList<>();
    for (String name : List.of("x", "y")) {
      writers.add(new Thread(() -> {
        for (int i = 0; i < perWriter; i++) {
          stream.write(name + i + "\n");
          if (i % 7 == 0) {
            stream.flush();
          }
        }
        stream.flush();
      }));
    }
    writers.forEach(Thread::start);
    int[] next = new int[2];
    for (int n = 0; n < 2 * perWriter; n++) {
      String line = reader.readLine();
      int w = line.charAt(0) == 'x' ? 0 : 1;
      assertThat(line.substring(1)).isEqualTo(Integer.toString(next[w]++));
    }
    assertThat(next).containsExactly(perWriter, perWriter);
    for (Thread t : writers) {
      t.join();
    }
    r.body().close();
  }

  @Test
  void closeEndsOpenStreams() throws Exception {
    CompletableFuture<HttpResponse<String>> f = client.sendAsync(HttpRequest.newBuilder(uri("/stream")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(streamOpened.await(60, TimeUnit.SECONDS)).isTrue();
    server.close();
    assertThat(streamClosed.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(f.get(60, TimeUnit.SECONDS).body()).isEqualTo("first\n");
  }

  @Test
  void staticFiles() throws Exception {
    var index = get("/static/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("<title>root</title>");
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(get("/static").body()).contains("<title>root</title>");
    var css = get("/static/style.css");
    assertThat(css.headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
    assertThat(css.headers().firstValue("cache-control")).hasValue("public, max-age=3600");
    String etag = css.headers().firstValue("etag").orElseThrow();
    assertThat(get("/static/style.css", "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(get("/static/sub/app.js").headers().firstValue("content-type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(get("/static/docs/").body()).contains("docs");
    assertThat(get("/static/docs").body()).contains("docs");
    assertThat(get("/static/missing.txt").statusCode()).isEqualTo(404);
    assertThat(get("/static/sub").statusCode()).isEqualTo(404);
  }

  @Test
  void staticPathTraversalIsRejected() throws Exception {
    for (String p : new String[] {"/static/..%2Fsecret.txt", "/static/%2E%2E/secret.txt", "/static/sub/%2e%2e/%2e%2e/secret.txt",
        "/static/..%5Csecret.txt", "/static/sub/..%2F..%2Fsecret.txt", "/static//etc/passwd", "/static/%00"}) {
      var r = get(p);
      assertThat(r.statusCode()).as(p).isIn(400, 404);
      assertThat(r.body()).as(p).doesNotContain("secret\n");
    }
    // raw (unnormalized) request path over a socket, as the JDK client normalizes dot segments
    assertThat(rawRequest("GET /static/../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400");
  }

  @Test
  void garbageRequestLineDoesNotCrashServer() throws Exception {
    assertThat(rawRequest("\u0001\u0002 garbage \u00ff\r\n\r\n")).startsWith("HTTP/1.1 400");
    assertThat(rawRequest("GET\r\n\r\n")).startsWith("HTTP/1.1 400");
    assertThat(rawRequest("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 414");
    assertThat(get("/hello").statusCode()).isEqualTo(200);
    assertThat(registry.find("http.server.malformed").counters()).isNotEmpty();
  }

  private String rawRequest(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] buf = s.getInputStream().readNBytes(12);
      return new String(buf, StandardCharsets.ISO_8859_1);
    }
  }
}
