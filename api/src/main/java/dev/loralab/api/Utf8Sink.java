package dev.loralab.api;

/**
 * Receives printed UTF-8 bytes, e.g. a stream's frame buffer, so that printing needs no
 * intermediate array of its own. A Netty-free stand-in for an {@code OutputStream} that cannot fail.
 */
@FunctionalInterface
public interface Utf8Sink {
  /**
   * Takes {@code b[off, off + len)}. The array is the printer's reused buffer: the sink must copy
   * what it keeps before returning and must not modify it.
   */
  void write(byte[] b, int off, int len);
}
