package dev.loralab.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * An immutable, sorted, de-duplicated set of correlation IDs ({@code <prefix>:<id>}), carried
 * along a call chain and merged into every event emitted on it. Each ID is at most
 * {@value #MAX_LENGTH} characters (The Things Stack's limit).
 */
public final class CorrelationIds {

  /** Maximum length of one correlation ID. */
  public static final int MAX_LENGTH = 100;

  /** Gateway connection (kept for compatibility with older dumps and the seed). */
  public static final String GS_CONN = "gs:conn:";
  /** Gateway uplink host. */
  public static final String GS_UP_HOST = "gs:up:host:";
  /** One uplink received by the Gateway Server. */
  public static final String GS_UPLINK = "gs:uplink:";
  /** An uplink entering the Network Server without a gs:/pba: uplink ID. */
  public static final String NS_UPLINK = "ns:uplink:";
  /** A downlink scheduled by the Network Server without a downlink ID. */
  public static final String NS_DOWNLINK = "ns:downlink:";
  /** One transmission attempt group of the Network Server. */
  public static final String NS_TRANSMISSION = "ns:transmission:";
  /** An application uplink without an uplink-class ID. */
  public static final String AS_UP = "as:up:";
  /** A downlink pushed through the Application Server. */
  public static final String AS_DOWNLINK = "as:downlink:";
  /** A TxAck from a gateway. */
  public static final String GS_TX_ACK = "gs:tx_ack:";
  /** A gateway status message. */
  public static final String GS_STATUS = "gs:status:";

  private static final CorrelationIds EMPTY = new CorrelationIds(List.of());

  private final List<String> ids;
  /**
   * Where this set was last written as an event's {@code correlation_ids} fields
   * ({@link Event#protoBytes()}), or null: later events with this set copy those bytes. Written
   * racily, like {@link String}'s hash: the slice is immutable, and every slice of this set holds
   * the same bytes.
   */
  private EncodingCache.Slice encoding;

  private CorrelationIds(List<String> sortedUnique) {
    this.ids = sortedUnique;
  }

  /** The empty set. */
  public static CorrelationIds empty() {
    return EMPTY;
  }

  /**
   * A set of the given IDs.
   *
   * @throws IllegalArgumentException for an empty or over-long ID
   */
  public static CorrelationIds of(String... ids) {
    return of(Arrays.asList(ids));
  }

  /** A set of the given IDs. */
  public static CorrelationIds of(Collection<String> ids) {
    if (ids.isEmpty()) {
      return EMPTY;
    }
    String[] a = ids.toArray(new String[0]);
    for (String id : a) {
      validate(id);
    }
    return new CorrelationIds(sortedUnique(a, a.length));
  }

  /** This set plus {@code id}. */
  public CorrelationIds with(String id) {
    validate(id);
    int at = java.util.Collections.binarySearch(ids, id);
    if (at >= 0) {
      return this;
    }
    int insert = -at - 1;
    String[] a = new String[ids.size() + 1];
    for (int i = 0; i < insert; i++) {
      a[i] = ids.get(i);
    }
    a[insert] = id;
    for (int i = insert; i < ids.size(); i++) {
      a[i + 1] = ids.get(i);
    }
    return new CorrelationIds(List.of(a));
  }

  /** The union of both sets. */
  public CorrelationIds merge(CorrelationIds other) {
    if (other.ids.isEmpty()) {
      return this;
    }
    if (ids.isEmpty()) {
      return other;
    }
    return merge(other.ids);
  }

  /** The union of this set and {@code more}. */
  public CorrelationIds merge(Collection<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    String[] extra = null;
    int m = 0;
    for (String id : more) {
      validate(id);
      if (!contains(id)) {
        if (extra == null) {
          extra = new String[more.size()];
        } else if (m == extra.length) {
          extra = Arrays.copyOf(extra, m * 2);
        }
        extra[m++] = id;
      }
    }
    if (m == 0) {
      return this;
    }
    String[] all = new String[ids.size() + m];
    for (int i = 0; i < ids.size(); i++) {
      all[i] = ids.get(i);
    }
    System.arraycopy(extra, 0, all, ids.size(), m);
    return new CorrelationIds(sortedUnique(all, all.length));
  }

  /** The first {@code n} strings of {@code a} sorted and de-duplicated, as an unmodifiable list; sorts {@code a}. */
  private static List<String> sortedUnique(String[] a, int n) {
    Arrays.sort(a, 0, n);
    int w = 0;
    for (int r = 0; r < n; r++) {
      if (w == 0 || !a[w - 1].equals(a[r])) {
        a[w++] = a[r];
      }
    }
    return List.of(w == a.length ? a : Arrays.copyOf(a, w));
  }

  /** Whether the set contains {@code id}. */
  public boolean contains(String id) {
    return java.util.Collections.binarySearch(ids, id) >= 0;
  }

  /** Whether any ID starts with {@code prefix} (e.g. to apply the one-ID-per-class rule). */
  public boolean hasPrefix(String prefix) {
    for (String id : ids) {
      if (id.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The IDs, sorted, unmodifiable. */
  public List<String> asList() {
    return ids;
  }

  /** Number of IDs. */
  public int size() {
    return ids.size();
  }

  /** Whether the set is empty. */
  public boolean isEmpty() {
    return ids.isEmpty();
  }

  /** A new correlation ID: {@code prefix} followed by a ULID from {@link Ulid#system()}. */
  public static String newId(String prefix) {
    return newId(prefix, Ulid.system());
  }

  /** A new correlation ID from the given generator. */
  public static String newId(String prefix, Ulid ulid) {
    Objects.requireNonNull(prefix, "prefix");
    return validate(ulid.next(prefix));
  }

  /** The prefix of an RPC's correlation IDs: {@code rpc:/ttn.lorawan.v3.GsNs/HandleUplink:}. */
  public static String rpcPrefix(String fullMethod) {
    Objects.requireNonNull(fullMethod, "fullMethod");
    String m = fullMethod.startsWith("/") ? fullMethod.substring(1) : fullMethod;
    return "rpc:/" + m + ":";
  }

  private static String validate(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("correlation id: expected 1.." + MAX_LENGTH + " characters, found empty");
    }
    if (id.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("correlation id: expected at most " + MAX_LENGTH
          + " characters, found " + id.length());
    }
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CorrelationIds c && c.ids.equals(ids);
  }

  @Override
  public int hashCode() {
    return ids.hashCode();
  }

  @Override
  public String toString() {
    return ids.toString();
  }

  /** The bytes of this set's {@code correlation_ids} fields in an event encoding, if recorded, else null. */
  EncodingCache.Slice encoding() {
    return encoding;
  }

  /**
   * Records that {@code source[offset, offset + length)} are this set's {@code correlation_ids}
   * fields, unless {@code source} is longer than {@code maxSourceSize} (bounds what a long-lived set
   * keeps). Those bytes must be written already and never modified afterwards.
   */
  void encoding(byte[] source, int offset, int length, int maxSourceSize) {
    if (source.length <= maxSourceSize && !ids.isEmpty()) {
      encoding = new EncodingCache.Slice(this, source, offset, length);
    }
  }

  /**
   * {@link #encoding(byte[], int, int, int)} for the {@code correlation_ids} fields at
   * {@code source[offset, offset + length)} of an event encoding of {@code encodingSize} bytes: with
   * {@code own} the array is that encoding's own (referred to), else a reused one (the bytes are
   * copied).
   */
  void encoding(byte[] source, int offset, int length, int encodingSize, int maxSourceSize, boolean own) {
    if (encodingSize > maxSourceSize || ids.isEmpty()) {
      return;
    }
    if (own) {
      encoding(source, offset, length, maxSourceSize);
    } else {
      encoding = new EncodingCache.Slice(this, Arrays.copyOfRange(source, offset, offset + length), 0, length);
    }
  }

  /** The hashes of the IDs by one hash function ({@link CorrelationIndex#hashOf}), cached. */
  private static final class Hashes {
    final Object function;
    final long[] values;

    Hashes(Object function, long[] values) {
      this.function = function;
      this.values = values;
    }
  }

  /** Written racily, like {@link #encoding}: immutable, and every instance for a function holds equal values. */
  private Hashes hashes;

  /**
   * The hashes of the IDs, in order, as {@code index} hashes them ({@link CorrelationIndex#hashOf}),
   * cached for the index's hash function: the events of one call share their set, and it is
   * hashed once. Callers must not modify the array.
   */
  long[] hashes(CorrelationIndex index) {
    Object function = index.hashFunction();
    Hashes h = hashes;
    if (h == null || h.function != function) {
      int n = ids.size();
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        values[i] = index.hashOf(ids.get(i));
      }
      h = new Hashes(function, values);
      hashes = h;
    }
    return h.values;
  }

  /** Builds from a mutable list without validation (internal fast path). */
  static CorrelationIds ofTrusted(ArrayList<String> sortedUnique) {
    return sortedUnique.isEmpty() ? EMPTY : new CorrelationIds(List.copyOf(sortedUnique));
  }
}
