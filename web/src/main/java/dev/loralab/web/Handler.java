package dev.loralab.web;

import java.util.concurrent.CompletableFuture;

/**
 * Handles one HTTP request. Runs on the server's handler executor, never on a Netty event loop.
 *
 * <p>An {@code ApiException} thrown or completing the future exceptionally becomes its JSON error
 * body with the matching HTTP status; any other exception becomes a generic 500.
 */
@FunctionalInterface
public interface Handler {

  /** Answers the request, possibly asynchronously. */
  CompletableFuture<Response> handle(Request request) throws Exception;

  /** A synchronous handler body. */
  @FunctionalInterface
  interface Sync {
    /** Answers the request. */
    Response handle(Request request) throws Exception;
  }

  /** Adapts a synchronous handler. */
  static Handler sync(Sync sync) {
    return request -> CompletableFuture.completedFuture(sync.handle(request));
  }
}
