package dev.loralab.web;

import dev.loralab.web.internal.HttpChannelInitializer;
import dev.loralab.web.internal.ServerState;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A small Netty HTTP/1.1 server shared by every LoRaLab server module and the console.
 *
 * <p>Requests are decoded and routed on the Netty event loop; route handlers always run on the
 * {@link Executor} given here, so nothing blocks the event loop. Responses on one connection are
 * written in request order. Malformed requests are answered with a JSON error (400, 413, 414, 431)
 * and counted, never crash the server.
 *
 * <pre>{@code
 * Router router = new Router().get("/ping", Handler.sync(r -> Response.text(200, "pong")));
 * try (HttpServer server = new HttpServer(HttpServerConfig.defaults().withPort(0), router, executor, registry)) {
 *   server.start();
 *   int port = server.port();
 * }
 * }</pre>
 */
public final class HttpServer implements AutoCloseable {

  private final HttpServerConfig config;
  private final ServerState state;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel serverChannel;
  private volatile int boundPort = -1;

  /**
   * @param config          limits and bind address
   * @param router          the routes; may still receive routes until {@link #start()}
   * @param handlerExecutor runs every route handler and streaming-body opener
   * @param registry        receives {@code http.server.requests} timers and error counters
   */
  public HttpServer(HttpServerConfig config, Router router, Executor handlerExecutor, MeterRegistry registry) {
    this.config = Objects.requireNonNull(config, "config");
    this.state = new ServerState(config, Objects.requireNonNull(router, "router"),
        Objects.requireNonNull(handlerExecutor, "handlerExecutor"), Objects.requireNonNull(registry, "registry"));
  }

  /**
   * Binds the socket and starts serving.
   *
   * @throws IllegalStateException when already started
   * @throws java.io.UncheckedIOException when binding fails
   */
  public synchronized HttpServer start() {
    if (serverChannel != null) {
      throw new IllegalStateException("already started");
    }
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
    try {
      ServerBootstrap b = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 256)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
              new WriteBufferWaterMark(config.writeLowWaterMark(), config.writeHighWaterMark()))
          .childHandler(new HttpChannelInitializer(state));
      serverChannel = b.bind(new InetSocketAddress(config.bindAddress(), config.port())).syncUninterruptibly().channel();
      boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
      return this;
    } catch (RuntimeException e) {
      shutdownGroups();
      serverChannel = null;
      throw new java.io.UncheckedIOException("cannot bind " + config.bindAddress() + ":" + config.port(),
          e.getCause() instanceof java.io.IOException io ? io : new java.io.IOException(e));
    }
  }

  /** The bound port (useful with port 0); -1 before {@link #start()}. */
  public int port() {
    return boundPort;
  }

  /** The router this server dispatches to. */
  public Router router() {
    return state.router();
  }

  /**
   * Stops accepting connections, ends open streaming responses, and shuts the event loops down
   * gracefully. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
      serverChannel = null;
    }
    state.closeAllConnections();
    shutdownGroups();
  }

  private void shutdownGroups() {
    if (workers != null) {
      workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
      workers = null;
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
      boss = null;
    }
  }
}
