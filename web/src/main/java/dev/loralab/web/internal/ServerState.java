package dev.loralab.web.internal;

import dev.loralab.web.HttpServerConfig;
import dev.loralab.web.Router;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.Executor;

/** Shared, thread-safe state of one HTTP server: config, routes, executor, metrics, live connections. */
public final class ServerState {

  private final HttpServerConfig config;
  private final Router router;
  private final Executor executor;
  private final MeterRegistry registry;
  private final ChannelGroup channels = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
  private final java.util.Set<ChannelStream> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public ServerState(HttpServerConfig config, Router router, Executor executor, MeterRegistry registry) {
    this.config = config;
    this.router = router;
    this.executor = executor;
    this.registry = registry;
  }

  public HttpServerConfig config() {
    return config;
  }

  public Router router() {
    return router;
  }

  Executor executor() {
    return executor;
  }

  MeterRegistry registry() {
    return registry;
  }

  ChannelGroup channels() {
    return channels;
  }

  java.util.Set<ChannelStream> streams() {
    return streams;
  }

  /** Ends open streaming responses (final chunk), then closes every connection. */
  public void closeAllConnections() {
    for (ChannelStream s : streams) {
      s.close();
    }
    channels.close().awaitUninterruptibly(5_000);
  }

  Timer requestTimer(String method, String route, int status) {
    return Timer.builder("http.server.requests")
        .description("HTTP requests by route pattern and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .register(registry);
  }

  void countMalformed(String reason) {
    Counter.builder("http.server.malformed")
        .description("Malformed HTTP requests rejected before routing")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void countHandlerFailure(String route) {
    Counter.builder("http.server.handler.failures")
        .description("Handlers that failed with an unexpected exception (500)")
        .tag("route", route)
        .register(registry)
        .increment();
  }
}
