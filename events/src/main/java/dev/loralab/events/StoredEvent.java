package dev.loralab.events;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.time.Instant;

/**
 * How {@link InMemoryEventHistory} keeps a recorded event: what its indexes and query filters need
 * (time, unique ID) and the event's binary {@code ttn.lorawan.v3.Event} encoding
 * ({@link Event#protoBytes()}, shared with the published event), instead of the event's graph of
 * identifiers, data, correlation IDs and strings. A stored event is three objects (this, the unique
 * ID the published event already had, the encoding), which is what keeps the history's live set
 * cheap for the garbage collector. {@link #toEvent()} decodes an event equal to the recorded one.
 *
 * <p>An event converted from a protobuf ({@link Event#fromProto}) is kept as its
 * {@link Event#withoutRenderings()} copy instead, sharing the protobuf it was converted from (no
 * such event is published by the stack's own components).
 */
final class StoredEvent {

  private final long epochSecond;
  private final int nano;
  private final String uniqueId;
  /** The encoding ({@code byte[]}, never modified) or, for an event converted from protobuf, the {@link Event}. */
  private final Object form;
  /** The default instance of the recorded data's class if it was not an {@link Any}, else null. */
  private final Message dataPrototype;
  private final boolean propagateToParent;

  private StoredEvent(Event e, Object form, Message dataPrototype) {
    this.epochSecond = e.time().getEpochSecond();
    this.nano = e.time().getNano();
    this.uniqueId = e.uniqueId();
    this.form = form;
    this.dataPrototype = dataPrototype;
    this.propagateToParent = e.propagateToParent();
  }

  /** The stored form of {@code e}; encodes it if it has not been encoded yet (cached in {@code e}). */
  static StoredEvent of(Event e) {
    if (e.convertedFromProto()) {
      return new StoredEvent(e, e.withoutRenderings(), null);
    }
    Message data = e.data();
    return new StoredEvent(e, e.protoBytes(),
        data == null || data instanceof Any ? null : data.getDefaultInstanceForType());
  }

  String uniqueId() {
    return uniqueId;
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
      throw new IllegalStateException("stored event " + uniqueId + ": expected its encoding, found "
          + e.getMessage(), e);
    }
  }
}
