package dev.loralab.web.internal;

import dev.loralab.web.ErrorMapping;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time from the first byte of a request to the whole request (line, headers, body):
 * a client that dribbles its request (or stops halfway) gets a 408 and the connection closed,
 * whereas the idle timeout alone is reset by every byte. Two handlers share one state per
 * connection: {@link #bytesIn()} before the codec arms the timer, {@link #requestsIn()} after the
 * aggregator disarms it.
 */
final class RequestTimeout {

  private final long timeoutNanos;
  private final ServerState state;
  private ScheduledFuture<?> timer;

  RequestTimeout(long timeoutNanos, ServerState state) {
    this.timeoutNanos = timeoutNanos;
    this.state = state;
  }

  /** Arms the timer on a request's first bytes. */
  ChannelInboundHandlerAdapter bytesIn() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer == null && msg instanceof ByteBuf b && b.isReadable()) {
          timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
      }
    };
  }

  /** Disarms the timer once a whole request has been received. */
  ChannelInboundHandlerAdapter requestsIn() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
          disarm();
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    state.countMalformed("request_timeout");
    byte[] body = ErrorMapping.json(io.grpc.Status.Code.DEADLINE_EXCEEDED.value(),
        "request: expected within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms of its first byte")
        .getBytes(StandardCharsets.UTF_8);
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
        Unpooled.wrappedBuffer(body));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
    resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    // From the tail of the pipeline: this handler sits before the codec that encodes responses.
    ctx.channel().writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
  }
}
