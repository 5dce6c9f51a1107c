package dev.loralab.web.internal;

import dev.loralab.web.StreamingResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A chunked response body bound to one Netty channel. Channel writes are thread-safe in Netty. */
final class ChannelStream implements StreamingResponse {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelStream.class);

  private final Channel channel;
  private final Runnable onEndOfResponse;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final List<Runnable> closeCallbacks = new ArrayList<>();
  private final List<Consumer<Boolean>> writabilityCallbacks = new CopyOnWriteArrayList<>();
  private boolean callbacksRun;
  /**
   * A producer saw the channel unwritable and has not been told it is writable again. Checked on
   * the event loop after each flush, so the resume signal does not depend on catching every
   * writability transition (transitions caused by writes submitted from other threads are
   * reported late, with the state at the time of reporting).
   */
  private volatile boolean producerWaiting;

  /** @param onEndOfResponse runs on the event loop after the last chunk was written (response complete) */
  ChannelStream(Channel channel, Runnable onEndOfResponse) {
    this.channel = channel;
    this.onEndOfResponse = onEndOfResponse;
  }

  @Override
  public boolean write(String chunk) {
    if (!open.get() || !channel.isActive()) {
      return false;
    }
    channel.write(new DefaultHttpContent(ByteBufUtil.writeUtf8(channel.alloc(), chunk)), channel.voidPromise());
    return true;
  }

  @Override
  public boolean write(byte[] utf8Chunk) {
    if (!open.get() || !channel.isActive()) {
      return false;
    }
    channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(utf8Chunk)), channel.voidPromise());
    return true;
  }

  @Override
  public void flush() {
    channel.flush();
    if (producerWaiting) {
      channel.eventLoop().execute(this::resumeIfWritable);
    }
  }

  /** On the event loop: tells a waiting producer that the channel is writable again. */
  private void resumeIfWritable() {
    if (producerWaiting && writableNow()) {
      fireWritability(true);
    }
  }

  /**
   * Whether the channel takes more data: Netty's writability flag, or the bytes actually pending
   * being below the low water mark. The flag alone can stay "unwritable" with nothing pending: a
   * producer thread's write raises the pending count and marks the channel unwritable, racing with
   * the event loop that drains the count below the low water mark and marks it writable; if the
   * producer's mark lands last and nothing is written afterwards, no later drain corrects it.
   */
  boolean writableNow() {
    if (channel.isWritable()) {
      return true;
    }
    ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
    return pending != null
        && pending.totalPendingWriteBytes() < channel.config().getWriteBufferLowWaterMark();
  }

  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
        if (f.isSuccess()) {
          onEndOfResponse.run();
        } else {
          channel.close();
        }
      });
      runCloseCallbacks();
    }
  }

  /** The connection went away. */
  void disconnected() {
    open.set(false);
    runCloseCallbacks();
  }

  @Override
  public boolean isOpen() {
    return open.get() && channel.isActive();
  }

  @Override
  public boolean isWritable() {
    boolean writable = writableNow();
    if (!writable) {
      producerWaiting = true;
      // it may have drained between the check and now, with its transition reported before
      channel.eventLoop().execute(this::resumeIfWritable);
    }
    return writable;
  }

  @Override
  public void onClose(Runnable callback) {
    boolean runNow;
    synchronized (closeCallbacks) {
      runNow = callbacksRun;
      if (!runNow) {
        closeCallbacks.add(callback);
      }
    }
    if (runNow) {
      safeRun(callback);
    }
  }

  @Override
  public void onWritabilityChanged(Consumer<Boolean> callback) {
    writabilityCallbacks.add(callback);
  }

  void fireWritability(boolean writable) {
    if (writable) {
      producerWaiting = false;
    }
    for (Consumer<Boolean> c : writabilityCallbacks) {
      try {
        c.accept(writable);
      } catch (RuntimeException e) {
        LOG.warn("writability callback failed", e);
      }
    }
  }

  @Override
  public String remoteAddress() {
    return HttpConnectionHandler.formatAddress(channel.remoteAddress());
  }

  private void runCloseCallbacks() {
    List<Runnable> toRun;
    synchronized (closeCallbacks) {
      if (callbacksRun) {
        return;
      }
      callbacksRun = true;
      toRun = new ArrayList<>(closeCallbacks);
      closeCallbacks.clear();
    }
    toRun.forEach(ChannelStream::safeRun);
  }

  private static void safeRun(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("stream close callback failed", e);
    }
  }
}
