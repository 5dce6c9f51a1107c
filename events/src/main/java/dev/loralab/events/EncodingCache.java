package dev.loralab.events;

/**
 * Where an immutable object (a protobuf message, a {@link CorrelationIds}) was last encoded into an
 * event encoding, by instance, so that the next event carrying the same instance copies those bytes
 * instead of encoding it again (the events of one uplink share their data message, identifiers and
 * correlation IDs). The same instance always encodes to the same bytes, so a copy is byte-identical.
 *
 * <p>Direct-mapped on the identity hash with a fixed number of slots: a new entry replaces the one
 * in its slot ({@link IdentitySlots}), so the cache holds at most {@link #capacity()} entries, each
 * referring to one event encoding of at most {@link #maxSourceSize()} bytes. Lock-free: an entry is
 * immutable (the bytes it refers to are written before the entry is created and never modified
 * afterwards).
 */
final class EncodingCache {

  /** A run of bytes of an event encoding: the encoding of {@link #key} (never modified). */
  static final class Slice {
    final Object key;
    private final byte[] source;
    final int offset;
    final int length;

    Slice(Object key, byte[] source, int offset, int length) {
      if (offset < 0 || length < 0 || offset > source.length - length) {
        throw new IllegalArgumentException("encoding slice: expected [" + offset + ", " + offset + "+" + length
            + ") within 0.." + source.length);
      }
      this.key = key;
      this.source = source;
      this.offset = offset;
      this.length = length;
    }

    /** Copies the bytes to {@code o}. */
    void writeTo(com.google.protobuf.CodedOutputStream o) throws java.io.IOException {
      o.writeRawBytes(source, offset, length);
    }

    /** A copy of the bytes (for tests). */
    byte[] toByteArray() {
      return java.util.Arrays.copyOfRange(source, offset, offset + length);
    }
  }

  private final IdentitySlots<Object, Slice> slots;
  private final int maxSourceSize;

  /**
   * @param capacity      number of slots, a power of two
   * @param maxSourceSize encodings longer than this are not referred to (bounds the memory held)
   */
  EncodingCache(int capacity, int maxSourceSize) {
    this.slots = new IdentitySlots<>("encoding cache", capacity, s -> s.key);
    if (maxSourceSize < 0) {
      throw new IllegalArgumentException("encoding cache max source size: expected >= 0, found " + maxSourceSize);
    }
    this.maxSourceSize = maxSourceSize;
  }

  int capacity() {
    return slots.capacity();
  }

  int maxSourceSize() {
    return maxSourceSize;
  }

  /** The last recorded encoding of {@code key} (the same instance), or null. */
  Slice get(Object key) {
    return slots.get(key);
  }

  /**
   * Records that {@code source[offset, offset + length)} is the encoding of {@code key}, unless
   * {@code source} is longer than {@link #maxSourceSize()}. Those bytes must be written already and
   * never modified afterwards.
   */
  void put(Object key, byte[] source, int offset, int length) {
    if (source.length <= maxSourceSize) {
      slots.put(key, new Slice(key, source, offset, length));
    }
  }

  /**
   * Records that {@code source[offset, offset + length)}, part of an event encoding of
   * {@code encodingSize} bytes, is the encoding of {@code key}, unless the encoding is longer than
   * {@link #maxSourceSize()}. With {@code own}, {@code source} is that encoding's own array (never
   * modified) and is referred to; else (a reused array) the bytes are copied.
   */
  void put(Object key, byte[] source, int offset, int length, int encodingSize, boolean own) {
    if (encodingSize > maxSourceSize) {
      return;
    }
    if (own) {
      put(key, source, offset, length);
    } else {
      slots.put(key, new Slice(key, java.util.Arrays.copyOfRange(source, offset, offset + length), 0, length));
    }
  }

  /** Entries held now (for tests). */
  int size() {
    return slots.size();
  }
}
