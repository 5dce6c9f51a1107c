/**
 * The small Netty HTTP/1.1 server shared by every LoRaLab server module and the console.
 *
 * <p>Build a {@link dev.loralab.web.Router} ({@code get/post/put/delete} with {@code {param}} and
 * trailing {@code {rest...}} segments), then start an {@link dev.loralab.web.HttpServer} with an
 * {@link dev.loralab.web.HttpServerConfig}, a handler {@link java.util.concurrent.Executor} and a
 * Micrometer registry. Handlers ({@link dev.loralab.web.Handler}) receive a
 * {@link dev.loralab.web.Request} and answer with a {@link dev.loralab.web.Response}, possibly a
 * chunked streaming one ({@link dev.loralab.web.StreamingResponse}) for SSE and NDJSON. Errors are
 * JSON ({@link dev.loralab.web.ErrorMapping}); static files come from the classpath
 * ({@link dev.loralab.web.StaticResources}). gRPC authentication and correlation plumbing lives in
 * {@link dev.loralab.web.grpc}.
 */
package dev.loralab.web;
