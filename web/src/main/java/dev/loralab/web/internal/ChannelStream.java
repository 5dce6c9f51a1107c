package dev.loralab.web.internal;

import dev.loralab.web.StreamingResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chunked response body bound to one Netty channel. Chunks written between two flushes are
 * collected here and reach the channel at the flush as one HTTP chunk in one direct buffer: a
 * stream of many small events costs the event loop one task and one chunk per flush, not one per
 * event. Collecting and handing over happen under one lock, so chunks keep their call order across
 * threads.
 */
final class ChannelStream implements StreamingResponse {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelStream.class);

  private final Channel channel;
  private final Runnable onEndOfResponse;
  private final AtomicBoolean open = new AtomicBoolean(true);
  /** Chunks written since the last flush, in order; guarded by itself. */
  private final List<byte[]> unflushed = new ArrayList<>();
  /** Bytes in {@link #unflushed}; guarded by it. */
  private int unflushedBytes;
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
    return write(chunk.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean write(byte[] utf8Chunk) {
    if (!open.get() || !channel.isActive()) {
      return false;
    }
    if (utf8Chunk.length > 0) {
      synchronized (unflushed) {
        unflushed.add(utf8Chunk);
        unflushedBytes += utf8Chunk.length;
        // A producer that writes much without flushing still sees the channel's writability.
        if (unflushedBytes >= channel.config().getWriteBufferHighWaterMark()) {
          writeUnflushed();
        }
      }
    }
    return true;
  }

  @Override
  public void flush() {
    writeUnflushed();
    channel.flush();
    if (producerWaiting) {
      channel.eventLoop().execute(this::resumeIfWritable);
    }
  }

  /** Hands the chunks written since the last flush to the channel as one HTTP chunk (not flushed). */
  private void writeUnflushed() {
    synchronized (unflushed) {
      if (unflushed.isEmpty()) {
        return;
      }
      if (channel.isActive()) {
        ByteBuf buf = channel.alloc().directBuffer(unflushedBytes);
        for (byte[] chunk : unflushed) {
          buf.writeBytes(chunk);
        }
        // Written under the lock: the event loop receives batches in the order they were taken.
        channel.write(new DefaultHttpContent(buf), channel.voidPromise());
      }
      unflushed.clear();
      unflushedBytes = 0;
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
      writeUnflushed();
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
    synchronized (unflushed) {
      unflushed.clear();
      unflushedBytes = 0;
    }
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
