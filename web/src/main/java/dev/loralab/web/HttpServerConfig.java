package dev.loralab.web;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of an {@link HttpServer}. All limits are configuration, never literals in code.
 *
 * @param bindAddress          address to bind, {@code 0.0.0.0} by default
 * @param port                 TCP port, 1885 by default; 0 binds an ephemeral port (see {@link HttpServer#port()})
 * @param maxBodyBytes         largest accepted request body; larger bodies are answered with 413
 * @param maxHeaderBytes       largest accepted header block; larger headers are answered with 431
 * @param maxInitialLineBytes  largest accepted request line; longer lines are answered with 414
 * @param idleTimeout          a connection with no traffic and no response in progress is closed after this time
 * @param writeLowWaterMark    channel writability low water mark in bytes (streaming back-pressure)
 * @param writeHighWaterMark   channel writability high water mark in bytes (streaming back-pressure)
 * @param ioThreads            number of Netty event-loop threads
 * @param maxPipelinedRequests requests queued per connection while one is being handled; more close the connection
 * @param maxQueryParams       query parameters decoded at most; the rest are ignored
 * @param requestTimeout       a request's line, headers and body must arrive within this time from its first byte,
 *                             or it is answered with 408 and the connection closed (slow clients, "slowloris")
 */
public record HttpServerConfig(
    String bindAddress,
    int port,
    int maxBodyBytes,
    int maxHeaderBytes,
    int maxInitialLineBytes,
    Duration idleTimeout,
    int writeLowWaterMark,
    int writeHighWaterMark,
    int ioThreads,
    int maxPipelinedRequests,
    int maxQueryParams,
    Duration requestTimeout) {

  /** The default HTTP port, as The Things Stack's. */
  public static final int DEFAULT_PORT = 1885;

  public HttpServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: expected 0..65535, found " + port);
    }
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes: expected >= 0, found " + maxBodyBytes);
    }
    if (maxHeaderBytes < 256) {
      throw new IllegalArgumentException("maxHeaderBytes: expected >= 256, found " + maxHeaderBytes);
    }
    if (maxInitialLineBytes < 64) {
      throw new IllegalArgumentException("maxInitialLineBytes: expected >= 64, found " + maxInitialLineBytes);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout: expected > 0, found " + idleTimeout);
    }
    if (writeLowWaterMark <= 0 || writeHighWaterMark < writeLowWaterMark) {
      throw new IllegalArgumentException("water marks: expected 0 < low <= high, found low="
          + writeLowWaterMark + " high=" + writeHighWaterMark);
    }
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads: expected >= 1, found " + ioThreads);
    }
    if (maxQueryParams < 1) {
      throw new IllegalArgumentException("maxQueryParams: expected >= 1, found " + maxQueryParams);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout: expected > 0, found " + requestTimeout);
    }
    if (maxPipelinedRequests < 0) {
      throw new IllegalArgumentException("maxPipelinedRequests: expected >= 0, found " + maxPipelinedRequests);
    }
  }

  /** Defaults: {@code 0.0.0.0:1885}, 1 MiB bodies, 16 KiB headers, 8 KiB request line, 5 min idle, 32/64 KiB water marks, 2 I/O threads, 16 pipelined requests, 256 query parameters, 30 s to receive a request. */
  public static HttpServerConfig defaults() {
    return new HttpServerConfig("0.0.0.0", DEFAULT_PORT, 1 << 20, 16 * 1024, 8 * 1024,
        Duration.ofMinutes(5), 32 * 1024, 64 * 1024, 2, 16, 256, Duration.ofSeconds(30));
  }

  public HttpServerConfig withBindAddress(String v) {
    return new HttpServerConfig(v, port, maxBodyBytes, maxHeaderBytes, maxInitialLineBytes, idleTimeout,
        writeLowWaterMark, writeHighWaterMark, ioThreads, maxPipelinedRequests, maxQueryParams, requestTimeout);
  }

  public HttpServerConfig withPort(int v) {
    return new HttpServerConfig(bindAddress, v, maxBodyBytes, maxHeaderBytes, maxInitialLineBytes, idleTimeout,
        writeLowWaterMark, writeHighWaterMark, ioThreads, maxPipelinedRequests, maxQueryParams, requestTimeout);
  }

  public HttpServerConfig withMaxBodyBytes(int v) {
    return new HttpServerConfig(bindAddress, port, v, maxHeaderBytes, maxInitialLineBytes, idleTimeout,
        writeLowWaterMark, writeHighWaterMark, ioThreads, maxPipelinedRequests, maxQueryParams, requestTimeout);
  }

  public HttpServerConfig withMaxHeaderBytes(int v) {
    return new HttpServerConfig(bindAddress, port, maxBodyBytes, v, maxInitialLineBytes, idleTimeout,
        writeLowWaterMark, writeHighWaterMark, ioThreads, maxPipelinedRequests, maxQueryParams, requestTimeout);
  }

  public HttpServerConfig withIdleTimeout(Duration v) {
    return new HttpServerConfig(bindAddress, port, maxBodyBytes, maxHeaderBytes, maxInitialLineBytes, v,
        writeLowWaterMark, writeHighWaterMark, ioThreads, maxPipelinedRequests, maxQueryParams, requestTimeout);
  }

  public HttpServerConfig withWaterMarks(int low, int high) {
    return new HttpServerConfig(bindAddress, port, maxBodyBytes, maxHeaderBytes, maxInitialLineBytes, idleTimeout,
        low, high, ioThreads, maxPipelinedRequests, maxQueryParams, requestTimeout);
  }

  public HttpServerConfig withMaxQueryParams(int v) {
    return new HttpServerConfig(bindAddress, port, maxBodyBytes, maxHeaderBytes, maxInitialLineBytes, idleTimeout,
        writeLowWaterMark, writeHighWaterMark, ioThreads, maxPipelinedRequests, v, requestTimeout);
  }

  public HttpServerConfig withIoThreads(int v) {
    return new HttpServerConfig(bindAddress, port, maxBodyBytes, maxHeaderBytes, maxInitialLineBytes, idleTimeout,
        writeLowWaterMark, writeHighWaterMark, v, maxPipelinedRequests, maxQueryParams, requestTimeout);
  }

  public HttpServerConfig withRequestTimeout(Duration v) {
    return new HttpServerConfig(bindAddress, port, maxBodyBytes, maxHeaderBytes, maxInitialLineBytes, idleTimeout,
        writeLowWaterMark, writeHighWaterMark, ioThreads, maxPipelinedRequests, maxQueryParams, v);
  }
}
