package dev.loralab.events;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.v3.EntityIdentifiers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable event with The Things Stack's fields. Its protobuf, binary encoding and JSON
 * renderings are computed once and cached, so an event is rendered once however many subscribers
 * receive it (and the history keeps the same encoding). A unique ID stamped by an
 * {@link EventFactory} is kept as the ULID's 128 bits and its string built when first asked for.
 *
 * <p>Events are normally created from an {@link EventDefinition} ({@code def.with(...)}) or an
 * {@link EventFactory}. The correlation IDs of the event are merged with those of {@code data} when
 * the data message has a {@code correlation_ids} field.
 *
 * <p>This is a final class rather than a record because it caches its renderings; it has
 * record-style accessors and value equality.
 */
public final class Event {

  private final String name;
  private final Instant time;
  private final List<EntityIdentifiers> identifiers;
  private final Message data;
  private final CorrelationIds correlationIds;
  private final String origin;
  private final Map<String, ByteString> context;
  private final RightSet visibility;
  private final dev.loralab.api.v3.Event.Authentication authentication;
  private final String remoteIp;
  private final String userAgent;
  /**
   * The unique ID, or null until first asked for when the event was stamped with a ULID's bits
   * ({@link #idBits}): built lazily and written racily, like {@link String}'s hash (a string is
   * safely published through a data race, and every thread builds an equal one).
   */
  private String uniqueId;
  /** Whether the unique ID is the ULID of {@link #idHigh} and {@link #idLow}. */
  private final boolean idBits;
  private final long idHigh;
  private final long idLow;
  private final boolean propagateToParent;

  private volatile String[] entityKeys;
  /** Whether {@link #proto} is the message this event was converted from ({@link #fromProto}). */
  private boolean protoFromWire;
  private volatile dev.loralab.api.v3.Event proto;
  /** The binary encoding of {@link #proto}; never modified once set. */
  private volatile byte[] protoBytes;
  private volatile String json;
  private volatile byte[] sseFrame;
  private volatile byte[] ndjsonFrame;

  private Event(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name");
    this.time = b.time != null ? b.time : EventFactory.system().clock().instant();
    this.identifiers = List.copyOf(b.identifiers);
    this.data = b.data;
    CorrelationIds ids = b.correlationIds;
    if (b.data != null && !(b.data instanceof Any)) {
      ids = withDataIds(ids, b.data);
    }
    this.correlationIds = ids;
    this.origin = b.origin != null ? b.origin : EventFactory.system().origin();
    this.context = b.context == null ? Map.of() : Map.copyOf(b.context);
    this.visibility = Objects.requireNonNull(b.visibility, "visibility");
    this.authentication = b.authentication;
    this.remoteIp = b.remoteIp == null ? "" : b.remoteIp;
    this.userAgent = b.userAgent == null ? "" : b.userAgent;
    if (b.uniqueId == null && !b.idBits) {
      EventFactory.system().ulid().next(b);
    }
    this.uniqueId = b.uniqueId;
    this.idBits = b.uniqueId == null;
    this.idHigh = b.idHigh;
    this.idLow = b.idLow;
    this.propagateToParent = b.propagateToParent;
    for (EntityIdentifiers id : identifiers) {
      if (id.getIdsCase() == EntityIdentifiers.IdsCase.IDS_NOT_SET) {
        throw new IllegalArgumentException("event " + name + " identifiers: expected an entity, found ids not set");
      }
    }
  }

  /** A copy of {@code source} sharing its fields, without its cached keys and renderings but a converted proto. */
  private Event(Event source) {
    this.name = source.name;
    this.time = source.time;
    this.identifiers = source.identifiers;
    this.data = source.data;
    this.correlationIds = source.correlationIds;
    this.origin = source.origin;
    this.context = source.context;
    this.visibility = source.visibility;
    this.authentication = source.authentication;
    this.remoteIp = source.remoteIp;
    this.userAgent = source.userAgent;
    this.uniqueId = source.uniqueId;
    this.idBits = source.idBits;
    this.idHigh = source.idHigh;
    this.idLow = source.idLow;
    this.propagateToParent = source.propagateToParent;
    dev.loralab.api.v3.Event p = source.proto; // volatile read first: fromProto sets protoFromWire before it
    this.protoFromWire = source.protoFromWire;
    this.proto = protoFromWire ? p : null;
  }

  /** The {@code correlation_ids} field of each data message type (or {@link #NO_CORRELATION_IDS}). */
  private static final ConcurrentHashMap<Descriptor, FieldDescriptor> CORRELATION_FIELDS = new ConcurrentHashMap<>();
  /** Stands for "no usable correlation_ids field" in {@link #CORRELATION_FIELDS}. */
  private static final FieldDescriptor NO_CORRELATION_IDS = Timestamp.getDescriptor().findFieldByName("seconds");
  /** Bound of {@link #CORRELATION_FIELDS}: descriptors beyond it (dynamic messages) are looked up each time. */
  private static final int MAX_CACHED_DESCRIPTORS = 4096;

  private static FieldDescriptor correlationField(Descriptor type) {
    FieldDescriptor f = CORRELATION_FIELDS.get(type);
    if (f == null) {
      f = type.findFieldByName("correlation_ids");
      if (f == null || !f.isRepeated() || f.getJavaType() != FieldDescriptor.JavaType.STRING) {
        f = NO_CORRELATION_IDS;
      }
      if (CORRELATION_FIELDS.size() < MAX_CACHED_DESCRIPTORS) {
        CORRELATION_FIELDS.putIfAbsent(type, f);
      }
    }
    return f;
  }

  /** The union of an event's correlation IDs and its data's, as last computed for one data message. */
  private static final class DataIds {
    final Message data;
    final CorrelationIds ids;
    final CorrelationIds merged;

    DataIds(Message data, CorrelationIds ids, CorrelationIds merged) {
      this.data = data;
      this.ids = ids;
      this.merged = merged;
    }
  }

  /** Slots of {@link #DATA_IDS} (a few hundred uplinks in flight). */
  static final int DATA_IDS_SLOTS = 1024;
  /**
   * The last merge of each data message's correlation IDs, by instance: the events of one call
   * share their data and correlation IDs, so they share the merged set (and its cached hashes and
   * encoding) instead of merging again.
   */
  private static final IdentitySlots<Message, DataIds> DATA_IDS = new IdentitySlots<>("data correlation IDs",
      DATA_IDS_SLOTS, d -> d.data);

  /** {@code ids} merged with the correlation IDs of {@code data} (the same set for the same instances). */
  private static CorrelationIds withDataIds(CorrelationIds ids, Message data) {
    if (correlationField(data.getDescriptorForType()) == NO_CORRELATION_IDS) {
      return ids;
    }
    DataIds last = DATA_IDS.get(data);
    if (last != null && last.ids == ids) {
      return last.merged;
    }
    CorrelationIds merged = containsDataIds(ids, data) ? ids : ids.merge(correlationIdsOf(data));
    DATA_IDS.put(data, new DataIds(data, ids, merged));
    return merged;
  }

  /**
   * Whether {@code ids} already holds every usable correlation ID of {@code data} (the usual case:
   * a component gives an event the IDs of its data), so merging would return {@code ids}.
   */
  private static boolean containsDataIds(CorrelationIds ids, Message data) {
    FieldDescriptor f = correlationField(data.getDescriptorForType());
    if (f == NO_CORRELATION_IDS) {
      return true;
    }
    List<?> values = (List<?>) data.getField(f);
    for (int i = 0, n = values.size(); i < n; i++) {
      String s = (String) values.get(i);
      if (!s.isEmpty() && s.length() <= CorrelationIds.MAX_LENGTH && !ids.contains(s)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> correlationIdsOf(Message data) {
    FieldDescriptor f = correlationField(data.getDescriptorForType());
    if (f == NO_CORRELATION_IDS) {
      return List.of();
    }
    List<?> values = (List<?>) data.getField(f);
    int n = values.size();
    if (n == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String s = (String) values.get(i);
      if (!s.isEmpty() && s.length() <= CorrelationIds.MAX_LENGTH) {
        out.add(s);
      }
    }
    return out;
  }

  /** A builder for an event of {@code def} (name, visibility and propagation from the definition). */
  public static Builder builder(EventDefinition def) {
    Builder b = new Builder(def.name());
    b.visibility = def.visibility();
    b.propagateToParent = def.propagateToParent();
    return b;
  }

  /** A builder for an event with an arbitrary name (no definition); visibility defaults to empty. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Converts a protobuf event; {@code data} stays packed as an {@link Any}. */
  public static Event fromProto(dev.loralab.api.v3.Event p) {
    Builder b = builderOf(p);
    b.data = p.hasData() ? p.getData() : null;
    Event e = b.build();
    e.protoFromWire = true;
    e.proto = p;
    return e;
  }

  /** A builder with every field of {@code p} but its data. */
  private static Builder builderOf(dev.loralab.api.v3.Event p) {
    Builder b = new Builder(p.getName());
    b.time = Instant.ofEpochSecond(p.getTime().getSeconds(), p.getTime().getNanos());
    b.identifiers(p.getIdentifiersList());
    b.correlationIds = CorrelationIds.of(p.getCorrelationIdsList());
    b.origin = p.getOrigin();
    if (p.getContextCount() > 0) {
      b.context().putAll(p.getContextMap());
    }
    b.visibility = RightSet.of(p.getVisibility());
    b.authentication = p.hasAuthentication() ? p.getAuthentication() : null;
    b.remoteIp = p.getRemoteIp();
    b.userAgent = p.getUserAgent();
    b.uniqueId = p.getUniqueId();
    return b;
  }

  /**
   * Decodes an event kept by the history ({@link EventRing}, read as a {@link StoredEvent}): {@code encoding} is the binary encoding of its
   * {@link #toProto()}; data that was not an {@link Any} when recorded is unpacked again with the
   * parser of {@code dataPrototype} (so {@link #data()} is of the published class), and
   * {@code propagateToParent}, which the protobuf does not carry, is restored. The decoded event
   * keeps {@code encoding} as its cached encoding (the array must not be modified afterwards).
   *
   * @throws InvalidProtocolBufferException if {@code encoding} is not an encoded event
   */
  static Event decode(byte[] encoding, Message dataPrototype, boolean propagateToParent)
      throws InvalidProtocolBufferException {
    dev.loralab.api.v3.Event p = dev.loralab.api.v3.Event.parseFrom(encoding);
    Builder b = builderOf(p);
    if (p.hasData()) {
      Any any = p.getData();
      Message data = any;
      if (dataPrototype != null) {
        try {
          data = dataPrototype.getParserForType().parseFrom(any.getValue());
        } catch (InvalidProtocolBufferException e) {
          data = any; // not expected for bytes this process encoded; the packed form is the same event
        }
      }
      b.data = data;
    }
    b.propagateToParent = propagateToParent;
    Event e = b.build();
    e.proto = p;
    e.protoBytes = encoding;
    return e;
  }

  /**
   * Whether this event was converted from a protobuf ({@link #fromProto}) and shares it; such an
   * event is stored as it is (see {@link EventRing}).
   */
  boolean convertedFromProto() {
    dev.loralab.api.v3.Event p = proto; // volatile read first: fromProto sets protoFromWire before it
    return p != null && protoFromWire;
  }

  public String name() {
    return name;
  }

  public Instant time() {
    return time;
  }

  public List<EntityIdentifiers> identifiers() {
    return identifiers;
  }

  /** The data message (an {@link Any} for events converted from protobuf), or null. */
  public Message data() {
    return data;
  }

  public CorrelationIds correlationIds() {
    return correlationIds;
  }

  public String origin() {
    return origin;
  }

  public Map<String, ByteString> context() {
    return context;
  }

  /** Rights of which a caller needs any (on one of the identifiers); empty means visible to all subscribers. */
  public RightSet visibility() {
    return visibility;
  }

  /** Authentication of the request that caused the event, or null. */
  public dev.loralab.api.v3.Event.Authentication authentication() {
    return authentication;
  }

  public String remoteIp() {
    return remoteIp;
  }

  public String userAgent() {
    return userAgent;
  }

  /** The event's ULID. */
  public String uniqueId() {
    String u = uniqueId;
    if (u == null) {
      u = Ulid.fromBits(idHigh, idLow);
      uniqueId = u;
    }
    return u;
  }

  /**
   * Whether the unique ID is kept as a ULID's 128 bits ({@link #uniqueIdHigh()},
   * {@link #uniqueIdLow()}), so that the history need not parse its string.
   */
  boolean hasUniqueIdBits() {
    return idBits;
  }

  /** The high 64 bits of the unique ID if {@link #hasUniqueIdBits()}. */
  long uniqueIdHigh() {
    return idHigh;
  }

  /** The low 64 bits of the unique ID if {@link #hasUniqueIdBits()}. */
  long uniqueIdLow() {
    return idLow;
  }

  /** Whether a device event also goes to its application's subscribers (from the definition). */
  public boolean propagateToParent() {
    return propagateToParent;
  }

  /** Slots of {@link #ENTITY_KEYS}: entities with events in flight. */
  static final int ENTITY_KEY_CACHE_SLOTS = 4096;
  /** The entity keys of identifiers instances (shared by the events of an entity). */
  static final EntityKeyCache ENTITY_KEYS = new EntityKeyCache(ENTITY_KEY_CACHE_SLOTS);

  /**
   * The entity keys ({@link EntityKeys}) this event is published to, cached: for each identifier its
   * key, followed by its application's key when a device event propagates to the parent (null
   * otherwise). Callers must not modify the array.
   */
  String[] entityKeys() {
    String[] k = entityKeys;
    if (k == null) {
      int n = identifiers.size();
      if (n == 1) {
        // The usual event of one entity: the cache's shared array (no array per event).
        EntityKeyCache.Keys keys = ENTITY_KEYS.of(identifiers.get(0));
        k = propagateToParent ? keys.withParent : keys.alone;
        entityKeys = k;
        return k;
      }
      k = new String[2 * n];
      for (int i = 0; i < n; i++) {
        EntityKeyCache.Keys keys = ENTITY_KEYS.of(identifiers.get(i));
        k[2 * i] = keys.key;
        if (propagateToParent) {
          k[2 * i + 1] = keys.parentKey; // null unless a device
        }
      }
      entityKeys = k;
    }
    return k;
  }

  /**
   * An equal event without the renderings cached so far or later ({@link #toProto()},
   * {@link #toJson()}, stream frames) and without its cached {@link #entityKeys()}, for keeping many
   * events: a stored event then holds its fields only, and renders again if it is ever asked to. A
   * protobuf it was converted from is kept.
   */
  Event withoutRenderings() {
    return new Event(this);
  }

  /** The protobuf form ({@code ttn.lorawan.v3.Event}), cached. */
  public dev.loralab.api.v3.Event toProto() {
    dev.loralab.api.v3.Event p = proto;
    if (p == null) {
      dev.loralab.api.v3.Event.Builder b = dev.loralab.api.v3.Event.newBuilder()
          .setName(name)
          .setTime(Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()))
          .addAllIdentifiers(identifiers)
          .addAllCorrelationIds(correlationIds.asList())
          .setOrigin(origin)
          .putAllContext(context)
          .setRemoteIp(remoteIp)
          .setUserAgent(userAgent)
          .setUniqueId(uniqueId());
      if (data != null) {
        b.setData(data instanceof Any any ? any : Any.pack(data));
      }
      if (!visibility.isEmpty()) {
        b.setVisibility(visibility.toProto());
      }
      if (authentication != null) {
        b.setAuthentication(authentication);
      }
      p = b.build();
      proto = p;
    }
    return p;
  }

  /**
   * The binary encoding of {@link #toProto()}, cached: the form the stream frames are printed from
   * and the history copies, so an event that is both recorded and streamed is encoded once (the bus
   * asks for it before recording when a subscriber wants the event; an event nobody streams is
   * recorded through {@link #encodeForCopy} without an array of its own). A data
   * message, identifiers or correlation-ID set that another event encoded recently is copied from
   * that event's encoding ({@link EncodingCache}). Callers must not modify the array.
   */
  byte[] protoBytes() {
    byte[] b = protoBytes;
    if (b == null) {
      dev.loralab.api.v3.Event p = proto;
      b = p != null ? p.toByteArray() : encode();
      protoBytes = b;
    }
    return b;
  }

  // Field numbers of ttn.lorawan.v3.Event (events.proto), Timestamp, Any and a map entry.
  private static final int NAME = 1;
  private static final int TIME = 2;
  private static final int IDENTIFIERS = 3;
  private static final int DATA = 4;
  private static final int CORRELATION_IDS = 5;
  private static final int ORIGIN = 6;
  private static final int CONTEXT = 7;
  private static final int VISIBILITY = 8;
  private static final int AUTHENTICATION = 9;
  private static final int REMOTE_IP = 10;
  private static final int USER_AGENT = 11;
  private static final int UNIQUE_ID = 12;
  private static final int SECONDS = 1;
  private static final int NANOS = 2;
  private static final int TYPE_URL = 1;
  private static final int VALUE = 2;
  private static final int KEY = 1;
  private static final int ULID_LENGTH = 26;
  /** The size of a ULID's {@code unique_id} field: a one-byte tag, a one-byte length and the digits. */
  private static final int ULID_FIELD_SIZE = 2 + ULID_LENGTH;

  /** {@code Any.pack}'s type URL of each data message type, with its UTF-8 bytes. */
  private static final ConcurrentHashMap<Descriptor, Utf8Text> TYPE_URLS = new ConcurrentHashMap<>();
  private static Utf8Text typeUrl(Descriptor type) {
    Utf8Text url = TYPE_URLS.get(type);
    if (url == null) {
      url = new Utf8Text("type.googleapis.com/" + type.getFullName());
      if (TYPE_URLS.size() < MAX_CACHED_DESCRIPTORS) {
        TYPE_URLS.putIfAbsent(type, url);
      }
    }
    return url;
  }

  /**
   * A string with its UTF-8 bytes as protobuf writes a string field (an unpaired surrogate as
   * {@code '?'}, as {@link String#getBytes} encodes it), so that a string that many events carry
   * is not measured and encoded again for each. Immutable.
   */
  static final class Utf8Text {
    final String value;
    private final byte[] utf8;

    Utf8Text(String value) {
      this.value = value;
      this.utf8 = value.getBytes(StandardCharsets.UTF_8);
    }

    /** The size of a field {@code field} of this value, or 0 for an empty value (a proto3 default). */
    int fieldSize(int field) {
      return utf8.length == 0 ? 0 : lengthDelimitedSize(field, utf8.length);
    }

    /** Writes a field {@code field} of this value, unless it is empty. */
    void writeField(CodedOutputStream o, int field) throws java.io.IOException {
      if (utf8.length != 0) {
        o.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(utf8.length);
        o.writeRawBytes(utf8);
      }
    }
  }

  /** Slots of {@link #TEXTS}: event names and origins (a few distinct instances). */
  static final int TEXT_CACHE_SLOTS = 256;
  /** Longer strings are not cached in {@link #TEXTS}. */
  private static final int MAX_CACHED_TEXT = 128;
  /** The UTF-8 bytes of event names and origins, by instance (definitions and factories share theirs). */
  static final IdentitySlots<String, Utf8Text> TEXTS = new IdentitySlots<>("text cache", TEXT_CACHE_SLOTS,
      t -> t.value);

  /** {@code s} with its UTF-8 bytes, cached by instance; null for a string too long to cache. */
  private static Utf8Text text(String s) {
    if (s.length() > MAX_CACHED_TEXT) {
      return null;
    }
    Utf8Text t = TEXTS.get(s);
    if (t == null) {
      t = new Utf8Text(s);
      TEXTS.put(s, t);
    }
    return t;
  }

  /** Slots of {@link #DATA_ENCODINGS} and {@link #IDENTIFIER_ENCODINGS} (a few hundred uplinks in flight). */
  static final int ENCODING_CACHE_SLOTS = 1024;
  /**
   * Event encodings longer than this are not referred to by the encoding caches or a
   * {@link CorrelationIds}: bounds what they keep ({@value} bytes a slot).
   */
  static final int MAX_SHARED_ENCODING = 8192;
  /** Where each data message was last encoded (the content of the {@code data} field, an Any). */
  static final EncodingCache DATA_ENCODINGS = new EncodingCache(ENCODING_CACHE_SLOTS, MAX_SHARED_ENCODING);
  /** Where each {@code EntityIdentifiers} was last encoded (the content of an {@code identifiers} field). */
  static final EncodingCache IDENTIFIER_ENCODINGS = new EncodingCache(ENCODING_CACHE_SLOTS, MAX_SHARED_ENCODING);

  /**
   * The bytes of {@code toProto().toByteArray()} written straight from the fields, without building
   * the protobuf (fields in number order, proto3 defaults omitted, time always present, data packed
   * as {@link Any#pack} packs it, map entries with key and value in the map's iteration order). The
   * data message, identifiers and correlation IDs are immutable instances that the events of one
   * uplink share: where an instance was encoded before ({@link EncodingCache}), its bytes are copied
   * instead of encoded again, and where it is encoded here, that is recorded for the next event.
   */
  private byte[] encode() {
    return encode(true, null);
  }

  /** {@link #encode()}, reusing and recording shared encodings or not (for tests: the reference). */
  byte[] encode(boolean shared) {
    return encode(shared, null);
  }

  /**
   * A thread's reusable array that {@link #encodeForCopy()} writes into: {@link #bytes}{@code [0, }
   * {@link #length}{@code )} is the last encoding, valid until the thread encodes again.
   */
  static final class Scratch {
    byte[] bytes;
    int length;

    private Scratch() {
      this.bytes = new byte[INITIAL_SCRATCH];
    }

    /** A view of a whole encoding that is not the thread's scratch. */
    private Scratch(byte[] encoding) {
      this.bytes = encoding;
      this.length = encoding.length;
    }
  }

  private static final int INITIAL_SCRATCH = 1024;
  /** Scratch arrays grow up to this; a larger encoding gets an array of its own. */
  static final int MAX_SCRATCH = 64 * 1024;
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * The binary encoding ({@link #protoBytes()}) for a caller that copies it right away (the history
   * copies it into its ring): the cached encoding if there is one, else written into the calling
   * thread's reused {@link Scratch} array (not cached: an event nobody streams is never given an
   * array of its own). Returns the scratch holding the bytes in {@code bytes[0, length)}, valid until
   * this thread encodes again; the caller must not modify them.
   */
  static Scratch encodeForCopy(Event e) {
    Scratch s = SCRATCH.get();
    byte[] cached = e.protoBytes;
    if (cached == null && e.proto != null) {
      cached = e.protoBytes();
    }
    if (cached != null) {
      return new Scratch(cached);
    }
    byte[] out = e.encode(true, s);
    if (out != s.bytes) {
      return new Scratch(out); // larger than a scratch array may grow
    }
    return s;
  }

  /** {@link #encode()}, into {@code scratch} (reused; null for an array of its own, of the exact size). */
  private byte[] encode(boolean shared, Scratch scratch) {
    int dataSize = 0;
    int valueSize = 0;
    Utf8Text url = null;
    EncodingCache.Slice dataSlice = null;
    if (data != null) {
      dataSlice = shared ? DATA_ENCODINGS.get(data) : null;
      if (dataSlice != null) {
        dataSize = dataSlice.length;
      } else if (data instanceof Any any) {
        dataSize = any.getSerializedSize();
      } else {
        url = typeUrl(data.getDescriptorForType());
        valueSize = data.getSerializedSize();
        dataSize = url.fieldSize(TYPE_URL)
            + (valueSize == 0 ? 0 : CodedOutputStream.computeTagSize(VALUE)
                + CodedOutputStream.computeUInt32SizeNoTag(valueSize) + valueSize);
      }
    }
    long seconds = time.getEpochSecond();
    int nanos = time.getNano();
    int timeSize = (seconds == 0 ? 0 : CodedOutputStream.computeInt64Size(SECONDS, seconds))
        + (nanos == 0 ? 0 : CodedOutputStream.computeInt32Size(NANOS, nanos));
    ByteString rights = visibility.isEmpty() ? null : visibility.toProtoBytes();
    Utf8Text nameText = text(name);
    Utf8Text originText = text(origin);
    int size = (nameText != null ? nameText.fieldSize(NAME) : stringSize(NAME, name))
        + lengthDelimitedSize(TIME, timeSize);
    int nIdentifiers = identifiers.size();
    // Slices looked up once: another thread may replace a slot between sizing and writing.
    EncodingCache.Slice firstIdentifier = null;
    EncodingCache.Slice[] identifierSlices = null;
    for (int i = 0; i < nIdentifiers; i++) {
      EntityIdentifiers id = identifiers.get(i);
      EncodingCache.Slice slice = shared ? IDENTIFIER_ENCODINGS.get(id) : null;
      if (i == 0) {
        firstIdentifier = slice;
      } else if (slice != null) {
        if (identifierSlices == null) {
          identifierSlices = new EncodingCache.Slice[nIdentifiers];
        }
        identifierSlices[i] = slice;
      }
      size += lengthDelimitedSize(IDENTIFIERS, slice != null ? slice.length : id.getSerializedSize());
    }
    if (data != null) {
      size += lengthDelimitedSize(DATA, dataSize);
    }
    List<String> ids = correlationIds.asList();
    EncodingCache.Slice idsSlice = shared ? correlationIds.encoding() : null;
    int idsSize = 0;
    if (idsSlice != null) {
      idsSize = idsSlice.length;
    } else {
      for (int i = 0, n = ids.size(); i < n; i++) {
        idsSize += CodedOutputStream.computeStringSize(CORRELATION_IDS, ids.get(i));
      }
    }
    size += idsSize;
    size += originText != null ? originText.fieldSize(ORIGIN) : stringSize(ORIGIN, origin);
    for (Map.Entry<String, ByteString> c : context.entrySet()) {
      size += lengthDelimitedSize(CONTEXT, contextEntrySize(c));
    }
    if (rights != null) {
      size += lengthDelimitedSize(VISIBILITY, rights.size());
    }
    if (authentication != null) {
      size += CodedOutputStream.computeMessageSize(AUTHENTICATION, authentication);
    }
    size += stringSize(REMOTE_IP, remoteIp) + stringSize(USER_AGENT, userAgent)
        + (idBits ? ULID_FIELD_SIZE : stringSize(UNIQUE_ID, uniqueId));

    byte[] out;
    // Bytes in an array of this event's own are never modified, so the caches may refer to them;
    // bytes in a reused scratch array are copied for the caches.
    boolean own;
    if (scratch == null || size > MAX_SCRATCH) {
      out = new byte[size];
      own = true;
    } else {
      if (scratch.bytes.length < size) {
        scratch.bytes = new byte[Math.min(MAX_SCRATCH, Math.max(size, 2 * scratch.bytes.length))];
      }
      out = scratch.bytes;
      scratch.length = size;
      own = false;
    }
    CodedOutputStream o = CodedOutputStream.newInstance(out, 0, size);
    try {
      if (nameText != null) {
        nameText.writeField(o, NAME);
      } else {
        writeString(o, NAME, name);
      }
      o.writeTag(TIME, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      o.writeUInt32NoTag(timeSize);
      if (seconds != 0) {
        o.writeInt64(SECONDS, seconds);
      }
      if (nanos != 0) {
        o.writeInt32(NANOS, nanos);
      }
      for (int i = 0; i < nIdentifiers; i++) {
        EntityIdentifiers id = identifiers.get(i);
        EncodingCache.Slice slice = i == 0 ? firstIdentifier : identifierSlices == null ? null : identifierSlices[i];
        o.writeTag(IDENTIFIERS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        if (slice != null) {
          o.writeUInt32NoTag(slice.length);
          slice.writeTo(o);
        } else {
          int length = id.getSerializedSize();
          o.writeUInt32NoTag(length);
          int at = o.getTotalBytesWritten();
          id.writeTo(o);
          if (shared) {
            IDENTIFIER_ENCODINGS.put(id, out, at, length, size, own);
          }
        }
      }
      if (data != null) {
        o.writeTag(DATA, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(dataSize);
        int at = o.getTotalBytesWritten();
        if (dataSlice != null) {
          dataSlice.writeTo(o);
        } else {
          if (url == null) {
            data.writeTo(o);
          } else {
            url.writeField(o, TYPE_URL);
            if (valueSize != 0) {
              o.writeTag(VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
              o.writeUInt32NoTag(valueSize);
              data.writeTo(o);
            }
          }
          if (shared) {
            DATA_ENCODINGS.put(data, out, at, dataSize, size, own);
          }
        }
      }
      if (idsSlice != null) {
        idsSlice.writeTo(o);
      } else {
        int at = o.getTotalBytesWritten();
        for (int i = 0, n = ids.size(); i < n; i++) {
          o.writeString(CORRELATION_IDS, ids.get(i));
        }
        if (shared) {
          correlationIds.encoding(out, at, idsSize, size, MAX_SHARED_ENCODING, own);
        }
      }
      if (originText != null) {
        originText.writeField(o, ORIGIN);
      } else {
        writeString(o, ORIGIN, origin);
      }
      for (Map.Entry<String, ByteString> c : context.entrySet()) {
        o.writeTag(CONTEXT, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(contextEntrySize(c));
        o.writeString(KEY, c.getKey());
        o.writeBytes(VALUE, c.getValue());
      }
      if (rights != null) {
        o.writeTag(VISIBILITY, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(rights.size());
        o.writeRawBytes(rights);
      }
      if (authentication != null) {
        o.writeMessage(AUTHENTICATION, authentication);
      }
      writeString(o, REMOTE_IP, remoteIp);
      writeString(o, USER_AGENT, userAgent);
      if (idBits) {
        // The last field: its 26 ASCII digits are written straight into the array.
        o.writeTag(UNIQUE_ID, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(ULID_LENGTH);
        int at = o.getTotalBytesWritten();
        if (at + ULID_LENGTH != size) {
          throw new IllegalStateException("event " + name + ": expected " + ULID_LENGTH + " bytes left for the unique ID, found "
              + (size - at));
        }
        Ulid.encodeAscii(idHigh, idLow, out, at);
      } else {
        writeString(o, UNIQUE_ID, uniqueId);
        o.checkNoSpaceLeft();
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("event " + name + ": encoding into an array of its computed size", e);
    }
    return out;
  }

  /** A map entry's size: key and value are always written (as protobuf's map entries do). */
  private static int contextEntrySize(Map.Entry<String, ByteString> c) {
    return CodedOutputStream.computeStringSize(KEY, c.getKey()) + CodedOutputStream.computeBytesSize(VALUE, c.getValue());
  }

  private static int stringSize(int field, String v) {
    return v.isEmpty() ? 0 : CodedOutputStream.computeStringSize(field, v);
  }

  private static int lengthDelimitedSize(int field, int length) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }

  private static void writeString(CodedOutputStream o, int field, String v) throws java.io.IOException {
    if (!v.isEmpty()) {
      o.writeString(field, v);
    }
  }

  /**
   * The compact protobuf JSON (proto field names, {@code @type} on data), cached. When the data
   * type is unknown to {@link ProtoJson}'s registry, the event is rendered without data.
   */
  public String toJson() {
    String j = json;
    if (j == null) {
      byte[] f = ndjsonFrame;
      if (f != null) {
        // the frame's bytes around the JSON are ASCII: decode just the JSON
        j = new String(f, NDJSON_PREFIX.length, f.length - NDJSON_PREFIX.length - NDJSON_SUFFIX.length,
            StandardCharsets.UTF_8);
      } else {
        try {
          j = ProtoJson.print(dev.loralab.api.v3.Event.getDescriptor(), protoBytes());
        } catch (ProtoJsonException e) {
          j = ProtoJson.print(toProto().toBuilder().clearData());
        }
      }
      json = j;
    }
    return j;
  }

  private static final byte[] NDJSON_PREFIX = "{\"result\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NDJSON_SUFFIX = "}\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SSE_ID = "id: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SSE_DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);

  /**
   * {@code id: <unique_id>\ndata: {"result":<event>}\n\n} in UTF-8, cached: every SSE subscriber
   * writes the same bytes. Assembled from the NDJSON frame's bytes. Callers must not modify the
   * array.
   */
  byte[] sseFrameUtf8() {
    byte[] f = sseFrame;
    if (f == null) {
      byte[] result = ndjsonFrameUtf8(); // {"result":<event>}\n
      byte[] id = uniqueId().getBytes(StandardCharsets.UTF_8); // ASCII neighbours: encodes as in the frame
      int n = result.length - 1; // without its '\n'
      f = new byte[SSE_ID.length + id.length + SSE_DATA.length + n + 2];
      int p = 0;
      System.arraycopy(SSE_ID, 0, f, p, SSE_ID.length);
      p += SSE_ID.length;
      System.arraycopy(id, 0, f, p, id.length);
      p += id.length;
      System.arraycopy(SSE_DATA, 0, f, p, SSE_DATA.length);
      p += SSE_DATA.length;
      System.arraycopy(result, 0, f, p, n);
      p += n;
      f[p++] = '\n';
      f[p] = '\n';
      sseFrame = f;
    }
    return f;
  }

  /**
   * {@code {"result":<event>}\n} in UTF-8, cached like {@link #sseFrameUtf8()}: printed straight
   * into the frame from the cached encoding ({@link #protoBytes()},
   * {@link ProtoJson#printUtf8(Descriptor, byte[], byte[], byte[])}), the same bytes as encoding
   * {@link #toJson()} in the frame.
   */
  byte[] ndjsonFrameUtf8() {
    byte[] f = ndjsonFrame;
    if (f == null) {
      String j = json;
      if (j != null) {
        f = ("{\"result\":" + j + "}\n").getBytes(StandardCharsets.UTF_8);
      } else {
        try {
          f = ProtoJson.printUtf8(dev.loralab.api.v3.Event.getDescriptor(), protoBytes(), NDJSON_PREFIX,
              NDJSON_SUFFIX);
        } catch (ProtoJsonException e) {
          f = ProtoJson.printUtf8(toProto().toBuilder().clearData().build(), NDJSON_PREFIX, NDJSON_SUFFIX);
        }
      }
      ndjsonFrame = f;
    }
    return f;
  }

  /** This event without the fields a caller who may not see it must not get (TTS redaction). */
  public Event redacted() {
    Builder b = new Builder(name);
    b.time = time;
    b.identifiers = identifiers;
    b.origin = origin;
    b.visibility = visibility;
    b.uniqueId = uniqueId;
    b.idBits = idBits;
    b.idHigh = idHigh;
    b.idLow = idLow;
    b.propagateToParent = propagateToParent;
    return b.build();
  }

  /** Unpacks {@link Any} data into {@code type}, or returns the data if it already is one. */
  public <T extends Message> T dataAs(Class<T> type) throws InvalidProtocolBufferException {
    if (data == null) {
      return null;
    }
    if (type.isInstance(data)) {
      return type.cast(data);
    }
    if (data instanceof Any any) {
      return any.unpack(type);
    }
    throw new InvalidProtocolBufferException("event data: expected " + type.getName() + ", found "
        + data.getDescriptorForType().getFullName());
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Event e && e.sameUniqueId(this) && e.name.equals(name) && e.time.equals(time)
        && e.identifiers.equals(identifiers) && Objects.equals(e.data, data)
        && e.correlationIds.equals(correlationIds) && e.origin.equals(origin) && e.context.equals(context)
        && e.visibility.equals(visibility) && Objects.equals(e.authentication, authentication)
        && e.remoteIp.equals(remoteIp) && e.userAgent.equals(userAgent)
        && e.propagateToParent == propagateToParent;
  }

  private boolean sameUniqueId(Event o) {
    if (idBits && o.idBits) {
      return idHigh == o.idHigh && idLow == o.idLow;
    }
    return uniqueId().equals(o.uniqueId());
  }

  @Override
  public int hashCode() {
    return Objects.hash(uniqueId(), name, time);
  }

  @Override
  public String toString() {
    return "Event[" + name + " " + uniqueId() + " " + identifiers.size() + " ids]";
  }

  /** Builds an {@link Event}; unset time, unique ID and origin come from {@link EventFactory#system()}. */
  public static final class Builder {
    private final String name;
    private Instant time;
    /** Immutable until a second call adds to it (the usual event has its identifiers set once). */
    private List<EntityIdentifiers> identifiers = List.of();
    private boolean identifiersMutable;
    private Message data;
    private CorrelationIds correlationIds = CorrelationIds.empty();
    private String origin;
    /** Created on the first context entry: most events have none. */
    private TreeMap<String, ByteString> context;
    private RightSet visibility = RightSet.empty();
    private dev.loralab.api.v3.Event.Authentication authentication;
    private String remoteIp;
    private String userAgent;
    private String uniqueId;
    /** Whether the unique ID is the ULID of {@link #idHigh} and {@link #idLow} (then {@link #uniqueId} is null). */
    private boolean idBits;
    private long idHigh;
    private long idLow;
    private boolean propagateToParent;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder time(Instant v) {
      this.time = v;
      return this;
    }

    public Builder identifiers(EntityIdentifiers... v) {
      if (identifiers.isEmpty()) {
        identifiers = List.of(v);
      } else {
        mutableIdentifiers().addAll(Arrays.asList(v));
      }
      return this;
    }

    public Builder identifiers(List<EntityIdentifiers> v) {
      if (identifiers.isEmpty()) {
        identifiers = List.copyOf(v);
      } else {
        mutableIdentifiers().addAll(v);
      }
      return this;
    }

    private List<EntityIdentifiers> mutableIdentifiers() {
      if (!identifiersMutable) {
        identifiers = new ArrayList<>(identifiers);
        identifiersMutable = true;
      }
      return identifiers;
    }

    public Builder data(Message v) {
      this.data = v;
      return this;
    }

    public Builder correlationIds(CorrelationIds v) {
      this.correlationIds = Objects.requireNonNull(v, "correlationIds");
      return this;
    }

    public Builder origin(String v) {
      this.origin = v;
      return this;
    }

    public Builder context(String key, ByteString value) {
      context().put(key, value);
      return this;
    }

    private TreeMap<String, ByteString> context() {
      if (context == null) {
        context = new TreeMap<>();
      }
      return context;
    }

    public Builder visibility(RightSet v) {
      this.visibility = Objects.requireNonNull(v, "visibility");
      return this;
    }

    /** Authentication of the causing request, e.g. {@code ("Bearer", "APIKey", keyId)}. */
    public Builder authentication(String type, String tokenType, String tokenId) {
      this.authentication = dev.loralab.api.v3.Event.Authentication.newBuilder()
          .setType(type).setTokenType(tokenType).setTokenId(tokenId).build();
      return this;
    }

    public Builder remoteIp(String v) {
      this.remoteIp = v;
      return this;
    }

    public Builder userAgent(String v) {
      this.userAgent = v;
      return this;
    }

    public Builder uniqueId(String v) {
      this.uniqueId = v;
      this.idBits = false;
      return this;
    }

    /** The ULID with these 128 bits as the unique ID ({@link Ulid#next(Builder)}), its string built when asked for. */
    Builder uniqueIdBits(long high, long low) {
      this.uniqueId = null;
      this.idBits = true;
      this.idHigh = high;
      this.idLow = low;
      return this;
    }

    public Builder propagateToParent(boolean v) {
      this.propagateToParent = v;
      return this;
    }

    public Event build() {
      return new Event(this);
    }
  }
}
