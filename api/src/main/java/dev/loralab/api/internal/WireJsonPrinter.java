package dev.loralab.api.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import dev.loralab.api.ProtoJsonException;
import dev.loralab.api.Utf8Sink;
import dev.loralab.api.internal.MessageLayout.FieldSlot;
import dev.loralab.api.internal.MessageLayout.Kind;
import java.io.IOException;

/**
 * Prints protobuf messages as the JSON of protobuf-java-util's {@code JsonFormat} printer configured
 * with a type registry, proto field names and no insignificant whitespace, byte for byte, by
 * transcoding the message's binary encoding (what {@code toByteArray()} returns) with per-type field tables
 * instead of reflection.
 *
 * <p>It follows the parser's semantics for any well-formed encoding: fields are printed in field
 * number order whatever their order on the wire, the last value of a singular field wins, repeated
 * occurrences of a singular message field merge, a oneof keeps its last member, packed and unpacked
 * repeated values combine, unknown fields (and values of the wrong wire type) are ignored, and
 * proto3 fields without presence are omitted when they hold their default value. The content of an
 * {@code Any} is resolved through the registry and decoded as {@code DynamicMessage} parsing would:
 * malformed bytes or invalid UTF-8 in it fail. Thread-safe; instances cache their type tables
 * (field slots, JSON keys, enum names, the {@code "@type"} openings of Any types) and keep per
 * thread the encoding, output, value-record and field-frame buffers of the last print call (up to
 * 64 KiB each), so a call allocates little beyond its result (nothing for the common field types
 * when printing into a {@link Utf8Sink}; doubles, unknown enum numbers and FieldMask paths still
 * allocate).
 *
 * <p>One difference is inherent to printing from the encoding: a Java string holding an unpaired
 * surrogate is serialized with '?' in its place, so '?' is printed, where JsonFormat keeps the lone
 * surrogate; the UTF-8 bytes of both outputs are the same (UTF-8 encoding also writes '?').
 */
public final class WireJsonPrinter {
  private static final int MAX_NESTING = 100;

  private final TypeRegistry registry;
  private final MessageLayout.LayoutCache layouts = new MessageLayout.LayoutCache();

  /** @param registry the types an {@code Any} may contain */
  public WireJsonPrinter(TypeRegistry registry) {
    this.registry = registry;
  }

  /**
   * Prints {@code message} as compact protobuf JSON.
   *
   * @throws ProtoJsonException if it cannot be printed: an {@code Any} of a type missing from the
   *     registry or with malformed content, an out-of-range Timestamp or Duration, a non-finite
   *     {@code google.protobuf.Value} number
   */
  public String print(Message message) {
    Run run = acquire();
    try {
      return render(message, null, run).toString();
    } finally {
      release(run);
    }
  }

  /**
   * Prints {@code message} as compact protobuf JSON in UTF-8 between {@code prefix} and
   * {@code suffix}, without an intermediate String: the result equals
   * {@code (new String(prefix, UTF_8) + print(message) + new String(suffix, UTF_8)).getBytes(UTF_8)}
   * for well-formed UTF-8 prefix and suffix.
   *
   * @throws ProtoJsonException as {@link #print(Message)}
   */
  public byte[] printUtf8(Message message, byte[] prefix, byte[] suffix) {
    Run run = acquire();
    try {
      JsonOut out = render(message, prefix, run);
      out.append(suffix);
      return out.toByteArray();
    } finally {
      release(run);
    }
  }

  /**
   * Prints the message of type {@code type} encoded in {@code encoding} (its binary encoding, e.g.
   * kept from an earlier {@code toByteArray()}) as compact protobuf JSON, without parsing it into a
   * message: for an encoding that {@code type}'s parser accepts, the result equals
   * {@link #print(Message)} of the parsed message. The encoding is decoded as the parser does
   * (strict UTF-8, nesting depth), so an encoding it rejects fails. The array is not modified or
   * kept.
   *
   * @throws ProtoJsonException as {@link #print(Message)}, or if the encoding is malformed
   */
  public String print(Descriptor type, byte[] encoding) {
    Run run = acquire();
    try {
      return render(type, encoding, encoding.length, null, run, true).toString();
    } finally {
      release(run);
    }
  }

  /**
   * {@link #print(Descriptor, byte[])} in UTF-8 between {@code prefix} and {@code suffix}, as
   * {@link #printUtf8(Message, byte[], byte[])} is to {@link #print(Message)}.
   *
   * @throws ProtoJsonException as {@link #print(Descriptor, byte[])}
   */
  public byte[] printUtf8(Descriptor type, byte[] encoding, byte[] prefix, byte[] suffix) {
    Run run = acquire();
    try {
      JsonOut out = render(type, encoding, encoding.length, prefix, run, true);
      out.append(suffix);
      return out.toByteArray();
    } finally {
      release(run);
    }
  }

  /**
   * {@link #printUtf8(Descriptor, byte[], byte[], byte[])} into {@code sink} instead of a new array:
   * the sink receives exactly the bytes that method returns, in one {@link Utf8Sink#write} call from
   * this thread's reused buffer, and nothing if printing fails.
   *
   * @throws ProtoJsonException as {@link #print(Descriptor, byte[])}
   */
  public void printUtf8(Descriptor type, byte[] encoding, byte[] prefix, byte[] suffix, Utf8Sink sink) {
    Run run = acquire();
    try {
      JsonOut out = render(type, encoding, encoding.length, prefix, run, true);
      out.append(suffix);
      out.writeTo(sink);
    } finally {
      release(run);
    }
  }

  /**
   * {@link #printUtf8(Message, byte[], byte[])} into {@code sink}, as
   * {@link #printUtf8(Descriptor, byte[], byte[], byte[], Utf8Sink)} is to its array form.
   *
   * @throws ProtoJsonException as {@link #print(Message)}
   */
  public void printUtf8(Message message, byte[] prefix, byte[] suffix, Utf8Sink sink) {
    Run run = acquire();
    try {
      JsonOut out = render(message, prefix, run);
      out.append(suffix);
      out.writeTo(sink);
    } finally {
      release(run);
    }
  }

  private static final int INITIAL_OUT_BYTES = 1024;
  private static final int INITIAL_POOL_INTS = 256;
  private static final int INITIAL_FRAME_INTS = 256;
  /** Buffers grown beyond this many bytes by a large message are dropped, not kept per thread. */
  private static final int MAX_RETAINED_BYTES = 1 << 16;

  /** One thread's print state with its buffers, reused by its print calls. */
  private final ThreadLocal<Run> runs = ThreadLocal.withInitial(Run::new);

  private Run acquire() {
    Run run = runs.get();
    if (run.busy) {
      run = new Run(); // not expected (printing does not re-enter); then not retained
    }
    run.busy = true;
    run.out.reset();
    return run;
  }

  private void release(Run run) {
    if (run.out.capacity() > MAX_RETAINED_BYTES) {
      run.out = new JsonOut(INITIAL_OUT_BYTES);
    }
    if (run.wire.length > MAX_RETAINED_BYTES) {
      run.wire = new byte[INITIAL_OUT_BYTES];
    }
    if (run.pool.length > MAX_RETAINED_BYTES / 4) {
      run.pool = new int[INITIAL_POOL_INTS];
    }
    if (run.frames.length > MAX_RETAINED_BYTES / 4) {
      run.frames = new int[INITIAL_FRAME_INTS];
    }
    run.buf = null;
    run.busy = false;
  }

  private JsonOut render(Message message, byte[] prefix, Run run) {
    Descriptor d = message.getDescriptorForType();
    int size = message.getSerializedSize();
    if (run.wire.length < size) {
      run.wire = new byte[Math.max(size, Math.min(2 * run.wire.length, MAX_RETAINED_BYTES))];
    }
    byte[] buf = run.wire;
    try {
      // the encoding toByteArray() would return, into the reused array
      CodedOutputStream cos = CodedOutputStream.newInstance(buf, 0, size);
      message.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("serializing " + d.getFullName() + " into an array", e);
    }
    return render(d, buf, size, prefix, run, false);
  }

  /**
   * Prints the message of type {@code d} encoded in {@code buf[0, size)} after {@code prefix};
   * {@code strict}: decode the top level as parsing does (as an Any's content always is).
   */
  private JsonOut render(Descriptor d, byte[] buf, int size, byte[] prefix, Run run, boolean strict) {
    JsonOut out = run.out;
    if (prefix != null) {
      out.append(prefix);
    }
    run.start(buf, strict);
    try {
      MessageLayout l = layouts.of(d);
      int f = run.scan(l, 0, size);
      run.emitMessage(l, f, null);
    } catch (PrintFailure e) {
      throw new ProtoJsonException("cannot print " + d.getFullName() + ": " + e.getMessage(), null);
    }
    return out;
  }

  private MessageLayout resolveAny(String typeUrl) {
    String[] parts = typeUrl.split("/");
    if (parts.length <= 1) {
      throw new PrintFailure("Invalid type url found: " + typeUrl);
    }
    Descriptor d = registry.find(parts[parts.length - 1]);
    if (d == null) {
      throw new PrintFailure("Cannot find type for url: " + typeUrl);
    }
    return layouts.of(d);
  }

  /** A resolved Any type URL, keyed by its UTF-8 bytes (valid UTF-8, non-empty). */
  private static final class AnyType {
    final byte[] urlBytes;
    final MessageLayout layout;
    /**
     * What the Any's JSON starts with: {@code {"@type":"<url>"} (a plain message's fields follow),
     * or {@code {"@type":"<url>","value":} (a well-known type's JSON value follows).
     */
    final byte[] open;

    AnyType(byte[] urlBytes, String url, MessageLayout layout) {
      this.urlBytes = urlBytes;
      this.layout = layout;
      this.open = openJson(url, layout);
    }
  }

  private static byte[] openJson(String url, MessageLayout layout) {
    JsonOut o = new JsonOut(url.length() + 24);
    o.append("{\"@type\":");
    JsonText.appendString(o, url);
    if (layout.kind != Kind.PLAIN) {
      o.append(",\"value\":");
    }
    return o.toByteArray();
  }

  /** Direct-mapped cache of resolved type URLs; racy by design, entries are immutable. */
  private final AnyType[] anyTypeCache = new AnyType[64];

  /** Hashes the length and the last 12 bytes (where type URLs differ: the type name's end). */
  private static int hash(byte[] b, int start, int end) {
    int h = end - start;
    for (int i = Math.max(start, end - 12); i < end; i++) {
      h = 31 * h + b[i];
    }
    return h ^ h >>> 16;
  }

  private AnyType cachedAnyType(byte[] b, int start, int end) {
    AnyType e = anyTypeCache[hash(b, start, end) & (anyTypeCache.length - 1)];
    if (e != null && java.util.Arrays.equals(e.urlBytes, 0, e.urlBytes.length, b, start, end)) {
      return e;
    }
    return null;
  }

  private void cacheAnyType(byte[] b, int start, int end, AnyType type) {
    if (!JsonText.isValidUtf8(b, start, end)) {
      return; // entries are used in strict mode too
    }
    anyTypeCache[hash(b, start, end) & (anyTypeCache.length - 1)] = type;
  }

  /**
   * The state of one print call, kept per thread with its buffers for the next call.
   *
   * <p>Value records live in {@code pool}, 4 ints each: next, start, end, wire type (record 0 means
   * "none"). The fields of a message being scanned or emitted live in a frame of
   * {@code frames}, a stack (frames are taken and given back in nesting order) of
   * {@link MessageLayout#frameSize} ints: per field the head and tail record of its value chain,
   * per real oneof 1 + the index of the member set last (0 if none), and whether unknown fields
   * were seen. Both arrays grow as needed, so they are always accessed through the fields.
   */
  private final class Run {
    JsonOut out = new JsonOut(INITIAL_OUT_BYTES);
    int[] pool = new int[INITIAL_POOL_INTS];
    int[] frames = new int[INITIAL_FRAME_INTS];
    /** The reused encoding buffer of {@link #print(Message)}. */
    byte[] wire = new byte[INITIAL_OUT_BYTES];
    boolean busy;

    /** The encoding being printed. */
    byte[] buf;
    /** Inside an Any's content: decode as DynamicMessage parsing does (strict UTF-8, depth). */
    boolean strict;
    int depth;
    int poolSize;
    int frameTop;

    void start(byte[] buf, boolean strict) {
      this.buf = buf;
      this.strict = strict;
      depth = 0;
      poolSize = 4;
      frameTop = 0;
    }

    private int start(int r) {
      return pool[r + 1];
    }

    private int end(int r) {
      return pool[r + 2];
    }

    private int wireType(int r) {
      return pool[r + 3];
    }

    private int next(int r) {
      return pool[r];
    }

    private int newRecord(int start, int end, int wt) {
      if (poolSize + 4 > pool.length) {
        pool = java.util.Arrays.copyOf(pool, pool.length * 2);
      }
      int r = poolSize;
      pool[r] = 0;
      pool[r + 1] = start;
      pool[r + 2] = end;
      pool[r + 3] = wt;
      poolSize += 4;
      return r;
    }

    /** Takes an empty frame for a message of layout {@code l}; returns its base. */
    private int push(MessageLayout l) {
      int f = frameTop;
      int top = f + l.frameSize;
      if (top > frames.length) {
        frames = java.util.Arrays.copyOf(frames, Math.max(top, frames.length * 2));
      }
      java.util.Arrays.fill(frames, f, top, 0);
      frameTop = top;
      return f;
    }

    /** Gives back frame {@code f} and every frame above it. */
    private void pop(int f) {
      frameTop = f;
    }

    private int head(int f, FieldSlot s) {
      return frames[f + s.index];
    }

    private int head(int f, int index) {
      return frames[f + index];
    }

    /** Scans {@code buf[start, end)} into a new frame (pushed; the caller pops it). */
    int scan(MessageLayout l, int start, int end) {
      int f = push(l);
      scanInto(l, f, start, end);
      return f;
    }

    /** Scans the fields in {@code buf[start, end)} into frame {@code f} (as parsing would merge them). */
    void scanInto(MessageLayout l, int f, int start, int end) {
      byte[] b = buf;
      int p = start;
      while (p < end) {
        int tag = b[p];
        if (tag >= 0) {
          p++;
        } else if (p + 1 < end && b[p + 1] >= 0) {
          tag = (tag & 0x7F) | b[p + 1] << 7; // a two-byte tag: field numbers 16 to 2047
          p += 2;
        } else {
          int tagStart = p;
          p = WireReader.skipVarint(b, p, end);
          tag = (int) WireReader.varint(b, tagStart);
        }
        int wt = tag & 7;
        int num = tag >>> 3;
        if (num == 0) {
          throw new PrintFailure("invalid tag (field number 0) in " + l.descriptor.getFullName());
        }
        int vs = p;
        int ve;
        switch (wt) {
          case WireReader.VARINT:
            p = p < end && b[p] >= 0 ? p + 1 : WireReader.skipVarint(b, p, end);
            ve = p;
            break;
          case WireReader.FIXED64:
            p = WireReader.checkFixed(p, 8, end);
            ve = p;
            break;
          case WireReader.FIXED32:
            p = WireReader.checkFixed(p, 4, end);
            ve = p;
            break;
          case WireReader.LENGTH_DELIMITED: {
            int len;
            if (p < end && b[p] >= 0) {
              len = b[p++];
            } else if (p + 1 < end && b[p + 1] >= 0) {
              len = (b[p] & 0x7F) | b[p + 1] << 7; // a two-byte length: 128 to 16383
              p += 2;
            } else {
              p = WireReader.skipVarint(b, p, end);
              len = (int) WireReader.varint(b, vs);
            }
            vs = p;
            p = WireReader.checkLength(p, len, end);
            ve = p;
            break;
          }
          case WireReader.START_GROUP:
            ve = WireReader.skipGroup(b, p, end, num, 0);
            p = WireReader.skipVarint(b, ve, end);
            break;
          case WireReader.END_GROUP:
            throw new PrintFailure("unexpected end-group tag of field " + num + " in "
                + l.descriptor.getFullName());
          default:
            throw new PrintFailure("invalid wire type " + wt + " of field " + num + " in "
                + l.descriptor.getFullName());
        }
        FieldSlot s = l.slot(num);
        if (s == null || (wt != s.wireType && !(s.packable && wt == WireReader.LENGTH_DELIMITED))) {
          frames[f + l.unknownIndex] = 1;
          continue;
        }
        record(l, s, f, vs, ve, wt);
      }
    }

    private void record(MessageLayout l, FieldSlot s, int f, int vs, int ve, int wt) {
      int i = s.index;
      if (s.oneof >= 0) {
        int cur = frames[f + l.oneofBase + s.oneof] - 1;
        if (cur != i) {
          if (cur >= 0) {
            if (strict) {
              validateChain(l.slots[cur], frames[f + cur]);
            }
            frames[f + cur] = 0;
          }
          frames[f + l.oneofBase + s.oneof] = i + 1;
        }
      }
      int r = newRecord(vs, ve, wt);
      if (s.repeated || s.isMessage()) {
        if (frames[f + i] == 0) {
          frames[f + i] = r;
        } else {
          pool[frames[f + l.tailBase + i]] = r;
        }
      } else {
        if (strict && frames[f + i] != 0) {
          validateChain(s, frames[f + i]);
        }
        frames[f + i] = r;
      }
      frames[f + l.tailBase + i] = r;
      if (l.tracksSeen) {
        frames[f + l.seenBase + (i >>> 5)] |= 1 << (i & 31);
      }
    }

    // --- validation of values a parser would decode but the output drops (strict mode only) ---

    private void validateChain(FieldSlot s, int r) {
      for (; r != 0; r = next(r)) {
        if (s.isMessage()) {
          enter();
          MessageLayout ml = s.messageLayout();
          int f = scan(ml, start(r), end(r));
          validateMessage(ml, f);
          pop(f);
          depth--;
        } else if (s.type == FieldDescriptor.Type.STRING) {
          JsonText.validateUtf8(buf, start(r), end(r));
        } else if (s.packable && wireType(r) == WireReader.LENGTH_DELIMITED) {
          for (int p = start(r); p < end(r); ) {
            p = advance(s, p, end(r));
          }
        }
      }
    }

    private void validateMessage(MessageLayout l, int f) {
      for (FieldSlot s : l.slots) {
        int h = head(f, s);
        if (h != 0) {
          validateChain(s, h);
        }
      }
    }

    private void enter() {
      if (++depth > MAX_NESTING && strict) {
        throw new PrintFailure("message nested more than " + MAX_NESTING + " levels in an Any");
      }
    }

    // --- emission ---

    /** Emits the message whose records are chained from {@code r} (merged in order). */
    private void emitChain(MessageLayout l, int r) {
      enter();
      int f = push(l);
      for (; r != 0; r = next(r)) {
        scanInto(l, f, start(r), end(r));
      }
      emitMessage(l, f, null);
      pop(f);
      depth--;
    }

    /** Emits a single message record (a repeated or map element). */
    private void emitRecord(MessageLayout l, int r) {
      enter();
      int f = scan(l, start(r), end(r));
      emitMessage(l, f, null);
      pop(f);
      depth--;
    }

    /**
     * Emits the message scanned into frame {@code f}; {@code open}, if not null, is an Any's
     * {@code {"@type":"<url>"} to start a plain message with.
     */
    void emitMessage(MessageLayout l, int f, byte[] open) {
      switch (l.kind) {
        case ANY: emitAny(l, f); return;
        case TIMESTAMP:
          JsonText.appendTimestamp(out, lastRaw(l.slots[0], f), (int) lastRaw(l.slots[1], f));
          return;
        case DURATION:
          JsonText.appendDuration(out, lastRaw(l.slots[0], f), (int) lastRaw(l.slots[1], f));
          return;
        case FIELD_MASK: emitFieldMask(f); return;
        case STRUCT:
          if (head(f, 0) == 0) {
            out.append("{}");
          } else {
            emitMap(l.slots[0], head(f, 0));
          }
          return;
        case LIST_VALUE:
          if (head(f, 0) == 0) {
            out.append("[]");
          } else {
            emitRepeated(l.slots[0], head(f, 0));
          }
          return;
        case VALUE: emitValue(l, f); return;
        case WRAPPER: {
          FieldSlot s = l.slots[0];
          if (head(f, 0) == 0) {
            emitDefault(s);
          } else {
            emitSingle(s, head(f, 0));
          }
          return;
        }
        default:
          emitPlain(l, f, open);
      }
    }

    private void emitPlain(MessageLayout l, int f, byte[] open) {
      boolean first;
      if (open != null) {
        out.append(open);
        first = false;
      } else {
        out.append('{');
        first = true;
      }
      if (l.tracksSeen) {
        // only the fields seen, in index (= field number) order
        for (int w = 0; w < 2; w++) {
          for (int bits = frames[f + l.seenBase + w]; bits != 0; bits &= bits - 1) {
            first = emitField(l.slots[(w << 5) + Integer.numberOfTrailingZeros(bits)], f, first);
          }
        }
      } else {
        for (FieldSlot s : l.slots) {
          first = emitField(s, f, first);
        }
      }
      out.append('}');
    }

    /** Emits {@code "name":value} of field {@code s} of frame {@code f} unless it is absent or default. */
    private boolean emitField(FieldSlot s, int f, boolean first) {
      int h = head(f, s);
      if (h == 0) {
        return first;
      }
      if (s.repeated) {
        if (isEmpty(s, h)) {
          return first;
        }
      } else if (!s.presence && isDefault(s, h)) {
        return first;
      }
      if (!first) {
        out.append(',');
      }
      out.append(s.jsonKey);
      if (s.map) {
        emitMap(s, h);
      } else if (s.repeated) {
        emitRepeated(s, h);
      } else {
        emitSingle(s, h);
      }
      return false;
    }

    /** A singular field's value: the merged message, or the last scalar record. */
    private void emitSingle(FieldSlot s, int h) {
      if (s.isMessage()) {
        emitChain(s.messageLayout(), h);
      } else {
        emitScalar(s, h);
      }
    }

    private boolean isEmpty(FieldSlot s, int r) {
      for (; r != 0; r = next(r)) {
        if (!(s.packable && wireType(r) == WireReader.LENGTH_DELIMITED) || end(r) > start(r)) {
          return false;
        }
      }
      return true;
    }

    private boolean isDefault(FieldSlot s, int r) {
      if (s.wireType == WireReader.LENGTH_DELIMITED) {
        return end(r) == start(r);
      }
      long raw = raw(s, start(r));
      return is32Bit(s.type) ? (int) raw == 0 : raw == 0;
    }

    private boolean is32Bit(FieldDescriptor.Type t) {
      switch (t) {
        case INT32: case SINT32: case UINT32: case ENUM: case FIXED32: case SFIXED32: case FLOAT:
          return true;
        default:
          return false;
      }
    }

    /** The raw numeric value at {@code p}: a varint, or fixed-width bits. */
    private long raw(FieldSlot s, int p) {
      switch (s.wireType) {
        case WireReader.FIXED32: return WireReader.fixed32(buf, p);
        case WireReader.FIXED64: return WireReader.fixed64(buf, p);
        default: return WireReader.varint(buf, p);
      }
    }

    /** The position after the numeric value at {@code p} within a packed run ending at end. */
    private int advance(FieldSlot s, int p, int end) {
      switch (s.wireType) {
        case WireReader.FIXED32: return WireReader.checkFixed(p, 4, end);
        case WireReader.FIXED64: return WireReader.checkFixed(p, 8, end);
        default: return WireReader.skipVarint(buf, p, end);
      }
    }

    private long lastRaw(FieldSlot s, int f) {
      int r = head(f, s);
      return r == 0 ? 0 : raw(s, start(r));
    }

    private void emitScalar(FieldSlot s, int r) {
      switch (s.type) {
        case STRING: JsonText.appendUtf8String(out, buf, start(r), end(r), strict); return;
        case BYTES: JsonText.appendBase64(out, buf, start(r), end(r)); return;
        default: appendNumeric(s, raw(s, start(r)), false);
      }
    }

    private void emitDefault(FieldSlot s) {
      switch (s.type) {
        case STRING: case BYTES: out.append("\"\""); return;
        case MESSAGE: case GROUP: {
          enter();
          MessageLayout ml = s.messageLayout();
          int f = push(ml);
          emitMessage(ml, f, null);
          pop(f);
          depth--;
          return;
        }
        default: appendNumeric(s, 0, false);
      }
    }

    private void appendNumeric(FieldSlot s, long raw, boolean quoted) {
      switch (s.type) {
        case INT32: case SFIXED32: quoted(quoted).append((int) raw); quoted(quoted); return;
        case SINT32: {
          int v = (int) raw;
          quoted(quoted).append((v >>> 1) ^ -(v & 1));
          quoted(quoted);
          return;
        }
        case UINT32: case FIXED32: quoted(quoted).append(raw & 0xFFFFFFFFL); quoted(quoted); return;
        case INT64: case SFIXED64: out.append('"').append(raw).append('"'); return;
        case SINT64: out.append('"').append((raw >>> 1) ^ -(raw & 1)).append('"'); return;
        case UINT64: case FIXED64:
          out.append('"').appendUnsigned(raw).append('"');
          return;
        case BOOL: quoted(quoted).append(raw != 0); quoted(quoted); return;
        case FLOAT: {
          float v = Float.intBitsToFloat((int) raw);
          if (Float.isNaN(v)) {
            out.append("\"NaN\"");
          } else if (Float.isInfinite(v)) {
            out.append(v < 0 ? "\"-Infinity\"" : "\"Infinity\"");
          } else {
            JsonText.appendFloat(quoted(quoted), v);
            quoted(quoted);
          }
          return;
        }
        case DOUBLE: {
          double v = Double.longBitsToDouble(raw);
          if (Double.isNaN(v)) {
            out.append("\"NaN\"");
          } else if (Double.isInfinite(v)) {
            out.append(v < 0 ? "\"-Infinity\"" : "\"Infinity\"");
          } else {
            quoted(quoted).append(v);
            quoted(quoted);
          }
          return;
        }
        case ENUM:
          if (s.nullValueEnum) {
            quoted(quoted).append("null");
            quoted(quoted);
          } else {
            byte[] known = s.enumJsonBytes((int) raw);
            if (known != null) {
              out.append(known);
            } else {
              out.append(s.enumJson((int) raw));
            }
          }
          return;
        default:
          throw new PrintFailure("unexpected scalar type " + s.type + " of " + s.field.getFullName());
      }
    }

    private JsonOut quoted(boolean quoted) {
      return quoted ? out.append('"') : out;
    }

    private void emitRepeated(FieldSlot s, int r) {
      out.append('[');
      boolean first = true;
      for (; r != 0; r = next(r)) {
        if (s.packable && wireType(r) == WireReader.LENGTH_DELIMITED) {
          int end = end(r);
          for (int p = start(r); p < end; ) {
            int q = advance(s, p, end);
            if (!first) {
              out.append(',');
            }
            first = false;
            appendNumeric(s, raw(s, p), false);
            p = q;
          }
          continue;
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        if (s.isMessage()) {
          emitRecord(s.messageLayout(), r);
        } else {
          emitScalar(s, r);
        }
      }
      out.append(']');
    }

    private void emitMap(FieldSlot s, int r) {
      MessageLayout entry = s.messageLayout();
      FieldSlot key = entry.slot(1);
      FieldSlot value = entry.slot(2);
      out.append('{');
      boolean first = true;
      for (; r != 0; r = next(r)) {
        enter();
        int f = scan(entry, start(r), end(r));
        if (!first) {
          out.append(',');
        }
        first = false;
        int k = head(f, key);
        if (key.type == FieldDescriptor.Type.STRING) {
          if (k == 0) {
            out.append("\"\"");
          } else {
            JsonText.appendUtf8String(out, buf, start(k), end(k), strict);
          }
        } else {
          appendNumeric(key, k == 0 ? 0 : raw(key, start(k)), true);
        }
        out.append(':');
        int v = head(f, value);
        if (v == 0) {
          emitDefault(value);
        } else {
          emitSingle(value, v);
        }
        pop(f);
        depth--;
      }
      out.append('}');
    }

    private void emitValue(MessageLayout l, int f) {
      int c = l.oneofCount == 0 ? 0 : frames[f + l.oneofBase];
      if (c == 0) {
        out.append("null");
        return;
      }
      FieldSlot s = l.slots[c - 1];
      if (s.type == FieldDescriptor.Type.DOUBLE) {
        double v = Double.longBitsToDouble(raw(s, start(head(f, s))));
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          throw new PrintFailure("google.protobuf.Value cannot encode double values for infinity"
              + " or nan, because they would be parsed as a string");
        }
      }
      emitSingle(s, head(f, s));
    }

    private void emitFieldMask(int f) {
      out.append('"');
      boolean first = true;
      for (int r = head(f, 0); r != 0; r = next(r)) {
        // FieldMask paths are always parsed strictly (JsonFormat re-parses the FieldMask).
        String path = JsonText.decodeUtf8(buf, start(r), end(r), true);
        if (path.isEmpty()) {
          continue;
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        JsonText.appendFieldMaskPath(out, path);
      }
      out.append('"');
    }

    private void emitAny(MessageLayout l, int f) {
      int t = head(f, 0);
      int v = head(f, 1);
      int vs = v == 0 ? 0 : start(v);
      int ve = v == 0 ? 0 : end(v);
      AnyType type = t == 0 ? null : cachedAnyType(buf, start(t), end(t));
      MessageLayout content;
      byte[] open;
      if (type != null) {
        content = type.layout;
        open = type.open;
      } else {
        String typeUrl = t == 0 ? "" : JsonText.decodeUtf8(buf, start(t), end(t), strict);
        if (typeUrl.isEmpty() && vs == ve && frames[f + l.unknownIndex] == 0) {
          out.append("{}");
          return;
        }
        content = resolveAny(typeUrl); // fails for an empty URL: t != 0 below
        type = new AnyType(java.util.Arrays.copyOfRange(buf, start(t), end(t)), typeUrl, content);
        cacheAnyType(buf, start(t), end(t), type);
        open = type.open;
      }
      boolean savedStrict = strict;
      int savedDepth = depth;
      strict = true;
      depth = 0;
      int cf = scan(content, vs, ve);
      if (content.kind == Kind.PLAIN) {
        emitPlain(content, cf, open);
      } else {
        out.append(open);
        emitMessage(content, cf, null);
        out.append('}');
      }
      pop(cf);
      strict = savedStrict;
      depth = savedDepth;
    }
  }
}
