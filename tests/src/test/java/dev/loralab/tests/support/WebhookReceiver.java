package dev.loralab.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A local HTTP server that records every JSON body POSTed to it, with its path. */
public final class WebhookReceiver implements AutoCloseable {

  /** One delivery. */
  public record Delivery(String path, JsonNode body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "test-webhook-receiver");
    t.setDaemon(true);
    return t;
  });
  private final List<Delivery> deliveries = new ArrayList<>();

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        JsonNode json;
        try {
          json = HttpApi.JSON.readTree(body);
        } catch (IOException e) {
          json = HttpApi.JSON.getNodeFactory().textNode(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        synchronized (this) {
          deliveries.add(new Delivery(exchange.getRequestURI().getPath(), json));
          notifyAll();
        }
        exchange.sendResponseHeaders(204, -1);
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The deliveries so far. */
  public synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Waits until at least {@code n} deliveries to {@code path} arrived; returns those seen. */
  public synchronized List<Delivery> await(String path, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Delivery> l = deliveries.stream().filter(d -> d.path().equals(path)).toList();
      long left = deadline - System.nanoTime();
      if (l.size() >= n || left <= 0) {
        return l;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
