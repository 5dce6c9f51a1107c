package dev.loralab.events;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.time.Instant;

/**
 * A recorded event as {@link InMemoryEventHistory}'s queries handle it: what the query filters need
 * (time, unique ID) and the event's binary {@code ttn.lorawan.v3.Event} encoding
 * ({@link Event#protoBytes()}), instead of the event's graph of identifiers, data, correlation IDs
 * and strings; a unique ID that is a canonical ULID, as the stack's are, is kept as its 128 bits.
 * {@link #toEvent()} decodes an event equal to the recorded one. The history itself keeps the same
 * parts in the primitive arrays and byte segments of an {@link EventRing}, and makes stored events
 * only for query results (short-lived objects).
 *
 * <p>An event converted from a protobuf ({@link Event#fromProto}) is kept as its
 * {@link Event#withoutRenderings()} copy instead, sharing the protobuf it was converted from (no
 * such event is published by the stack's own components).
 */
final class StoredEvent {

  private final long epochSecond;
  private final int nano;
  /** The unique ID's 128 bits if it is a valid ULID ({@link Ulid#isValid}; then {@link #uniqueIdText} is null). */
  private final long idHigh;
  private final long idLow;
  /** The unique ID if it is not a valid ULID, else null. */
  private final String uniqueIdText;
  /** The encoding ({@code byte[]}, never modified) or, for an event converted from protobuf, the {@link Event}. */
  private final Object form;
  /** The default instance of the recorded data's class if it was not an {@link Any}, else null. */
  private final Message dataPrototype;
  private final boolean propagateToParent;
  /** The event's sequence number in the {@link EventRing} it was read from, or -1. */
  private final long sequence;

  private StoredEvent(Event e, Object form, Message dataPrototype) {
    this(e.time(), e.uniqueId(), form, dataPrototype, e.propagateToParent());
  }

  /**
   * An event read from an {@link EventRing}: its time, unique ID (bits of a ULID, or the text),
   * and its encoding ({@code byte[]}, a copy the caller owns), the {@link Event} kept as converted
   * from protobuf, or null for an entry that only carries the time and unique ID (for filtering and
   * ordering query results before their encodings are copied).
   */
  StoredEvent(long sequence, long epochSecond, int nano, long idHigh, long idLow, String uniqueIdText, Object form,
      Message dataPrototype, boolean propagateToParent) {
    this.sequence = sequence;
    this.epochSecond = epochSecond;
    this.nano = nano;
    this.idHigh = idHigh;
    this.idLow = idLow;
    this.uniqueIdText = uniqueIdText;
    this.form = form;
    this.dataPrototype = dataPrototype;
    this.propagateToParent = propagateToParent;
  }

  private StoredEvent(Instant time, String id, Object form, Message dataPrototype, boolean propagateToParent) {
    this.sequence = -1;
    this.epochSecond = time.getEpochSecond();
    this.nano = time.getNano();
    if (Ulid.isValid(id)) {
      long[] bits = new long[2];
      Ulid.toBits(id, bits, 0);
      this.idHigh = bits[0];
      this.idLow = bits[1];
      this.uniqueIdText = null;
    } else {
      this.idHigh = 0;
      this.idLow = 0;
      this.uniqueIdText = id;
    }
    this.form = form;
    this.dataPrototype = dataPrototype;
    this.propagateToParent = propagateToParent;
  }

  /** The stored form of {@code e}; encodes it if it has not been encoded yet (cached in {@code e}). */
  static StoredEvent of(Event e) {
    if (e.convertedFromProto()) {
      return new StoredEvent(e, e.withoutRenderings(), null);
    }
    return new StoredEvent(e, e.protoBytes(), dataPrototype(e));
  }

  /**
   * What decoding {@code e}'s encoding needs to give its data the recorded class: the default
   * instance of its data's class, or null for no data or an {@link Any} (kept as it is).
   */
  static Message dataPrototype(Event e) {
    Message data = e.data();
    return data == null || data instanceof Any ? null : data.getDefaultInstanceForType();
  }

  /** The sequence number in the ring this entry was read from ({@code -1} for one made from an event or ID). */
  long sequence() {
    return sequence;
  }

  /** The unique ID (rebuilt from its bits for a ULID: for queries, not for comparisons). */
  String uniqueId() {
    return uniqueIdText != null ? uniqueIdText : Ulid.fromBits(idHigh, idLow);
  }

  /** Compares the unique IDs as {@link String#compareTo} does. */
  int compareUniqueId(StoredEvent o) {
    if (uniqueIdText == null && o.uniqueIdText == null) {
      int c = Long.compareUnsigned(idHigh, o.idHigh);
      return c != 0 ? c : Long.compareUnsigned(idLow, o.idLow);
    }
    return uniqueId().compareTo(o.uniqueId());
  }

  /** Whether the unique IDs are equal. */
  boolean sameUniqueId(StoredEvent o) {
    if (uniqueIdText == null && o.uniqueIdText == null) {
      return idHigh == o.idHigh && idLow == o.idLow;
    }
    return uniqueIdText != null && uniqueIdText.equals(o.uniqueIdText);
  }

  /** An ID to compare stored events' unique IDs with ({@link #compareUniqueId}), e.g. a {@code Last-Event-ID}. */
  static StoredEvent idOnly(String uniqueId) {
    return new StoredEvent(Instant.EPOCH, java.util.Objects.requireNonNull(uniqueId, "uniqueId"), null, null, false);
  }

  /** Whether the event's time is before {@code t}. */
  boolean isBefore(Instant t) {
    long s = t.getEpochSecond();
    return epochSecond < s || (epochSecond == s && nano < t.getNano());
  }

  /** Whether the event's time is after {@code t}. */
  boolean isAfter(Instant t) {
    long s = t.getEpochSecond();
    return epochSecond > s || (epochSecond == s && nano > t.getNano());
  }

  /** The epoch second of the event's time. */
  long epochSecond() {
    return epochSecond;
  }

  /** The event's time. */
  Instant time() {
    return Instant.ofEpochSecond(epochSecond, nano);
  }

  /** The size of the encoding in bytes (0 for an event kept as converted from protobuf). */
  int encodedSize() {
    return form instanceof byte[] b ? b.length : 0;
  }

  /** An event equal to the recorded one (a new instance for an encoded event). */
  Event toEvent() {
    if (form instanceof Event e) {
      return e;
    }
    try {
      return Event.decode((byte[]) form, dataPrototype, propagateToParent);
    } catch (InvalidProtocolBufferException e) {
      // The bytes are this process's own encoding of a valid event, which always parses.
      throw new IllegalStateException("stored event " + uniqueId() + ": expected its encoding, found "
          + e.getMessage(), e);
    }
  }
}
