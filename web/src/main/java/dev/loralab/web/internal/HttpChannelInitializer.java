package dev.loralab.web.internal;

import dev.loralab.web.ErrorMapping;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Builds the per-connection pipeline: request timeout, codec, idle detection, body aggregation with size limit, dispatcher. */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {

  private final ServerState state;

  public HttpChannelInitializer(ServerState state) {
    this.state = state;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    var cfg = state.config();
    state.channels().add(ch);
    ChannelPipeline p = ch.pipeline();
    RequestTimeout requestTimeout = new RequestTimeout(cfg.requestTimeout().toNanos(), state);
    p.addLast("request-start", requestTimeout.bytesIn());
    p.addLast("codec", new HttpServerCodec(cfg.maxInitialLineBytes(), cfg.maxHeaderBytes(), 8192));
    p.addLast("idle", new IdleStateHandler(0, 0, cfg.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    p.addLast("aggregator", new LimitedAggregator(cfg.maxBodyBytes(), state));
    p.addLast("request-end", requestTimeout.requestsIn());
    p.addLast("dispatcher", new HttpConnectionHandler(state));
  }

  /** Aggregates bodies; an oversized one is answered with a JSON 413 and the connection closed. */
  private static final class LimitedAggregator extends HttpObjectAggregator {
    private final ServerState state;

    LimitedAggregator(int max, ServerState state) {
      super(max);
      this.state = state;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      state.countMalformed("body_too_large");
      byte[] body = ErrorMapping.json(ErrorMapping.RESOURCE_EXHAUSTED,
          "request body: expected at most " + maxContentLength() + " bytes, found more")
          .getBytes(StandardCharsets.UTF_8);
      FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
      resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
