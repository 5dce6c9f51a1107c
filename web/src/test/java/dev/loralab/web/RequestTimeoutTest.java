package dev.loralab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request timeout: slow clients ("slowloris") are cut off; idle keep-alive connections are not. */
class RequestTimeoutTest {

  private ExecutorService executor;
  private HttpServer server;

  @BeforeEach
  void start() {
    executor = Executors.newFixedThreadPool(2);
    Router router = new Router().get("/hello", Handler.sync(r -> Response.text(200, "hello")));
    server = new HttpServer(HttpServerConfig.defaults().withBindAddress("127.0.0.1").withPort(0)
        .withRequestTimeout(Duration.ofSeconds(1)), router, executor, new SimpleMeterRegistry()).start();
  }

  @AfterEach
  void stop() {
    server.close();
    executor.shutdownNow();
  }

  @Test
  void aRequestDribbledByteByByteIsAnsweredWith408AndClosed() throws Exception {
    byte[] request = ("GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(60_000);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      Thread reader = new Thread(() -> readAll(s, got));
      reader.start();
      OutputStream out = s.getOutputStream();
      // Every byte resets an idle timeout; the request timeout still ends it (bounded: 60 s).
      for (int i = 0; i < request.length && reader.isAlive() && i < 600; i++) {
        try {
          out.write(request[i]);
          out.flush();
        } catch (IOException closed) {
          break;
        }
        Thread.sleep(100);
      }
      reader.join(60_000);
      assertThat(reader.isAlive()).as("connection closed by the server").isFalse();
      // The 408 may be lost to the reset that the client's next byte provokes: only its start is checked.
      assertThat(got.toString(StandardCharsets.US_ASCII)).satisfiesAnyOf(
          t -> assertThat(t).isEmpty(), t -> assertThat(t).startsWith("HTTP/1.1 408"));
    }
  }

  @Test
  void aRequestThatStopsHalfwayIsAnsweredWith408() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(60_000);
      s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\nX-Half: ".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      readAll(s, got);
      assertThat(got.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 408")
          .containsIgnoringCase("Content-Type: application/json").contains("\"code\":4");
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsNotCutByTheRequestTimeout() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(60_000);
      for (int i = 0; i < 2; i++) {
        s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("hello");
        Thread.sleep(2_500); // longer than the request timeout, with no request under way
      }
    }
  }

  private static void readAll(Socket s, ByteArrayOutputStream got) {
    try {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (IOException e) {
      // reset after the 408: keep what was read
    }
  }

  /** One response with a Content-Length body. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed after " + head);
      }
      head.append((char) c);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }
}
