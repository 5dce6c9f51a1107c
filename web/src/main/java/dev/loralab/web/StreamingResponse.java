package dev.loralab.web;

import java.util.function.Consumer;

/**
 * The open body of a chunked streaming response. All methods are safe to call from any thread;
 * writes are queued to the connection's event loop in call order.
 */
public interface StreamingResponse {

  /**
   * Queues a UTF-8 chunk. Returns {@code false} (and drops the chunk) when the stream is closed.
   * Does not flush.
   */
  boolean write(String chunk);

  /**
   * Queues an already UTF-8-encoded chunk without copying it, so one encoded chunk can be written to
   * many streams; the caller must not modify {@code utf8Chunk} afterwards. Returns {@code false} (and
   * drops the chunk) when the stream is closed. Does not flush.
   */
  default boolean write(byte[] utf8Chunk) {
    return write(new String(utf8Chunk, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Flushes queued chunks to the socket. */
  void flush();

  /** Writes and flushes a chunk. */
  default boolean writeAndFlush(String chunk) {
    boolean ok = write(chunk);
    flush();
    return ok;
  }

  /** Ends the response (final empty chunk). Idempotent. */
  void close();

  /** Whether the stream is still open (neither closed by us nor by the client). */
  boolean isOpen();

  /**
   * Whether the socket accepts more data without exceeding the configured high water mark.
   * Producers should stop writing while this is {@code false} and resume on the writability callback.
   */
  boolean isWritable();

  /**
   * Registers a callback run once when the stream ends: the client disconnected, or {@link #close()}
   * was called. Runs immediately if the stream has already ended.
   */
  void onClose(Runnable callback);

  /** Registers a callback receiving the new writability whenever it changes. */
  void onWritabilityChanged(Consumer<Boolean> callback);

  /** The remote address of the client, as {@code host:port}. */
  String remoteAddress();
}
