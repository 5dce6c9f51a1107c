package dev.loralab.web.internal;

import dev.loralab.web.ErrorMapping;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection dispatcher. All fields are confined to the channel's event loop; handlers run
 * on the server executor and their results hop back to the event loop. One request is handled at
 * a time per connection; pipelined requests wait in a bounded queue, so responses stay in order.
 */
final class HttpConnectionHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionHandler.class);

  private final ServerState state;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private boolean inFlight;
  private ChannelStream currentStream;
  private ChannelHandlerContext ctx;

  HttpConnectionHandler(ServerState state) {
    this.state = state;
  }

  /** A decoded request waiting for dispatch; the {@link Request} is built once its route is known. */
  private record Pending(String method, String path, Map<String, List<String>> query,
      Map<String, List<String>> headers, byte[] body, String remoteAddress, boolean keepAlive, boolean head) {
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
    DecoderResult dr = msg.decoderResult();
    if (dr.isFailure()) {
      rejectMalformed(dr.cause());
      return;
    }
    Pending p;
    try {
      p = toPending(msg);
    } catch (IllegalArgumentException e) {
      state.countMalformed("bad_uri");
      LOG.debug("bad request URI from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
      writeFull(ErrorMapping.response(400, ErrorMapping.INVALID_ARGUMENT, "request URI: " + e.getMessage()),
          false, false, "UNMATCHED", msg.method().name(), null);
      return;
    }
    if (inFlight) {
      if (pending.size() >= state.config().maxPipelinedRequests()) {
        state.countMalformed("too_many_pipelined");
        ctx.close();
        return;
      }
      pending.add(p);
      return;
    }
    dispatch(p);
  }

  private Pending toPending(FullHttpRequest msg) {
    QueryStringDecoder qsd = new QueryStringDecoder(msg.uri(), StandardCharsets.UTF_8, true, state.config().maxQueryParams(), true);
    String path = qsd.rawPath();
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("expected an absolute path, found " + abbreviate(path));
    }
    Map<String, List<String>> query = qsd.parameters();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : msg.headers()) {
      headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
    }
    return new Pending(msg.method().name(), path, query, headers, ByteBufUtil.getBytes(msg.content()),
        formatAddress(ctx.channel().remoteAddress()), HttpUtil.isKeepAlive(msg), msg.method().name().equals("HEAD"));
  }

  private void dispatch(Pending p) {
    inFlight = true;
    Router.Match match = state.router().match(p.method(), p.path());
    Timer.Sample sample = Timer.start(state.registry());
    if (match instanceof Router.NotFound) {
      writeFull(ErrorMapping.response(404, ErrorMapping.NOT_FOUND, "no route for path " + abbreviate(p.path())),
          p.keepAlive(), p.head(), "NOT_FOUND", p.method(), sample);
      return;
    }
    if (match instanceof Router.MethodNotAllowed mna) {
      Response r = ErrorMapping.response(405, ErrorMapping.UNIMPLEMENTED,
          "method " + p.method() + " not allowed for " + abbreviate(p.path()) + "; allowed: " + mna.allowed())
          .withHeader("Allow", String.join(", ", mna.allowed()));
      writeFull(r, p.keepAlive(), p.head(), "METHOD_NOT_ALLOWED", p.method(), sample);
      return;
    }
    if (match instanceof Router.BadPath bad) {
      state.countMalformed("bad_path_param");
      writeFull(ErrorMapping.response(400, ErrorMapping.INVALID_ARGUMENT, bad.reason()),
          p.keepAlive(), p.head(), "BAD_PATH", p.method(), sample);
      return;
    }
    Router.Found found = (Router.Found) match;
    Request req = new Request(p.method(), p.path(), found.pattern(), found.params(), p.query(), p.headers(),
        p.body(), p.remoteAddress());
    String route = found.pattern();
    try {
      state.executor().execute(() -> {
        CompletableFuture<Response> future;
        try {
          future = found.handler().handle(req);
          if (future == null) {
            future = CompletableFuture.failedFuture(new IllegalStateException("handler returned null"));
          }
        } catch (Throwable t) {
          future = CompletableFuture.failedFuture(t);
        }
        future.whenComplete((resp, err) -> ctx.executor().execute(() -> complete(p, route, sample, resp, err)));
      });
    } catch (RejectedExecutionException e) {
      writeFull(ErrorMapping.response(503, ErrorMapping.UNAVAILABLE, "server busy"),
          false, p.head(), route, p.method(), sample);
    }
  }

  private void complete(Pending p, String route, Timer.Sample sample, Response resp, Throwable err) {
    if (!ctx.channel().isActive()) {
      inFlight = false;
      return;
    }
    String method = p.method();
    if (err != null || resp == null) {
      Throwable t = err != null ? err : new IllegalStateException("handler completed with null");
      if (ErrorMapping.isClientError(t)) {
        LOG.debug("{} {} failed: {}", method, route, ErrorMapping.unwrap(t).getMessage());
      } else {
        state.countHandlerFailure(route);
        LOG.warn("{} {} failed", method, route, ErrorMapping.unwrap(t));
      }
      resp = ErrorMapping.toResponse(t);
    }
    if (resp.isStreaming() && !p.head()) {
      startStream(p, route, sample, resp);
    } else {
      writeFull(resp, p.keepAlive(), p.head(), route, method, sample);
    }
  }

  private void startStream(Pending p, String route, Timer.Sample sample, Response resp) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(resp.status()));
    resp.headers().forEach((k, v) -> head.headers().set(k, v));
    HttpUtil.setTransferEncodingChunked(head, true);
    head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
    if (!p.keepAlive()) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    sample.stop(state.requestTimer(p.method(), route, resp.status()));
    ChannelStream[] self = new ChannelStream[1];
    ChannelStream stream = new ChannelStream(ctx.channel(), () -> {
      // on the event loop: the response is complete
      state.streams().remove(self[0]);
      currentStream = null;
      if (p.keepAlive()) {
        next();
      } else {
        ctx.close();
      }
    });
    self[0] = stream;
    currentStream = stream;
    state.streams().add(stream);
    stream.onClose(() -> state.streams().remove(stream));
    ctx.writeAndFlush(head);
    try {
      state.executor().execute(() -> {
        try {
          resp.streamingBody().open(stream);
        } catch (RuntimeException e) {
          LOG.warn("{} {} streaming body failed to open", p.method(), route, e);
          stream.close();
        }
      });
    } catch (RejectedExecutionException e) {
      stream.close();
    }
  }

  private void writeFull(Response resp, boolean keepAlive, boolean head, String route, String method,
      Timer.Sample sample) {
    byte[] body = resp.body();
    FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(resp.status()),
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    resp.headers().forEach((k, v) -> out.headers().set(k, v));
    out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (!keepAlive) {
      out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    if (sample != null) {
      sample.stop(state.requestTimer(method, route, resp.status()));
    }
    inFlight = true;
    ctx.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
      if (!keepAlive || !f.isSuccess()) {
        f.channel().close();
      } else {
        next();
      }
    });
  }

  private void next() {
    inFlight = false;
    Pending p = pending.poll();
    if (p != null) {
      dispatch(p);
    }
  }

  private void rejectMalformed(Throwable cause) {
    int status;
    String reason;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      reason = "line_too_long";
      message = "request line: expected at most " + state.config().maxInitialLineBytes() + " bytes, found more";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      reason = "headers_too_large";
      message = "request headers: expected at most " + state.config().maxHeaderBytes() + " bytes, found more";
    } else if (cause instanceof TooLongFrameException) {
      status = 413;
      reason = "too_large";
      message = "request: too large";
    } else {
      status = 400;
      reason = "malformed";
      message = "malformed HTTP request: " + (cause == null ? "unknown" : cause.getMessage());
    }
    state.countMalformed(reason);
    LOG.debug("malformed request from {}: {}", ctx.channel().remoteAddress(), message);
    pending.clear();
    writeFull(ErrorMapping.response(status, status == 400 ? ErrorMapping.INVALID_ARGUMENT
            : ErrorMapping.RESOURCE_EXHAUSTED, message),
        false, false, "MALFORMED", "UNKNOWN", null);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (currentStream != null) {
      currentStream.fireWritability(currentStream.writableNow());
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    pending.clear();
    if (currentStream != null) {
      currentStream.disconnected();
      currentStream = null;
    }
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (!inFlight) {
        LOG.debug("closing idle connection {}", ctx.channel().remoteAddress());
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  static String formatAddress(SocketAddress address) {
    if (address instanceof InetSocketAddress isa) {
      String host = isa.getAddress() != null ? isa.getAddress().getHostAddress() : isa.getHostString();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + isa.getPort();
    }
    return String.valueOf(address);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
