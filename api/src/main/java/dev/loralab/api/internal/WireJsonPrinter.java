package dev.loralab.api.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import dev.loralab.api.ProtoJsonException;
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
 * malformed bytes or invalid UTF-8 in it fail. Thread-safe; instances cache their type tables and
 * keep per thread the encoding, output and record buffers of the last print call (up to 64 KiB
 * each), so a call allocates little beyond its result.
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
    Scratch s = acquire();
    try {
      return render(message, null, s).toString();
    } finally {
      release(s);
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
    Scratch s = acquire();
    try {
      JsonOut out = render(message, prefix, s);
      out.append(suffix);
      return out.toByteArray();
    } finally {
      release(s);
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
    Scratch s = acquire();
    try {
      return render(type, encoding, encoding.length, null, s, true).toString();
    } finally {
      release(s);
    }
  }

  /**
   * {@link #print(Descriptor, byte[])} in UTF-8 between {@code prefix} and {@code suffix}, as
   * {@link #printUtf8(Message, byte[], byte[])} is to {@link #print(Message)}.
   *
   * @throws ProtoJsonException as {@link #print(Descriptor, byte[])}
   */
  public byte[] printUtf8(Descriptor type, byte[] encoding, byte[] prefix, byte[] suffix) {
    Scratch s = acquire();
    try {
      JsonOut out = render(type, encoding, encoding.length, prefix, s, true);
      out.append(suffix);
      return out.toByteArray();
    } finally {
      release(s);
    }
  }

  /** Buffers one thread's print calls reuse: the output and the record pool. */
  private static final class Scratch {
    JsonOut out = new JsonOut(INITIAL_OUT_BYTES);
    int[] pool = new int[INITIAL_POOL_INTS];
    byte[] wire = new byte[INITIAL_OUT_BYTES];
    boolean busy;
  }

  private static final int INITIAL_OUT_BYTES = 1024;
  private static final int INITIAL_POOL_INTS = 256;
  /** Buffers grown beyond this many bytes by a large message are dropped, not kept per thread. */
  private static final int MAX_RETAINED_BYTES = 1 << 16;

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  private Scratch acquire() {
    Scratch s = scratch.get();
    if (s.busy) {
      return new Scratch(); // not expected (printing does not re-enter); then not retained
    }
    s.busy = true;
    s.out.reset();
    return s;
  }

  private void release(Scratch s) {
    if (s.out.capacity() > MAX_RETAINED_BYTES) {
      s.out = new JsonOut(INITIAL_OUT_BYTES);
    }
    if (s.wire.length > MAX_RETAINED_BYTES) {
      s.wire = new byte[INITIAL_OUT_BYTES];
    }
    if (s.pool.length > MAX_RETAINED_BYTES / 4) {
      s.pool = new int[INITIAL_POOL_INTS];
    }
    s.busy = false;
  }

  private JsonOut render(Message message, byte[] prefix, Scratch s) {
    Descriptor d = message.getDescriptorForType();
    int size = message.getSerializedSize();
    if (s.wire.length < size) {
      s.wire = new byte[Math.max(size, Math.min(2 * s.wire.length, MAX_RETAINED_BYTES))];
    }
    byte[] buf = s.wire;
    try {
      // the encoding toByteArray() would return, into the reused array
      CodedOutputStream cos = CodedOutputStream.newInstance(buf, 0, size);
      message.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("serializing " + d.getFullName() + " into an array", e);
    }
    return render(d, buf, size, prefix, s, false);
  }

  /**
   * Prints the message of type {@code d} encoded in {@code buf[0, size)} after {@code prefix};
   * {@code strict}: decode the top level as parsing does (as an Any's content always is).
   */
  private JsonOut render(Descriptor d, byte[] buf, int size, byte[] prefix, Scratch s, boolean strict) {
    JsonOut out = s.out;
    if (prefix != null) {
      out.append(prefix);
    }
    Run run = new Run(buf, out, s.pool);
    run.strict = strict;
    try {
      MessageLayout l = layouts.of(d);
      Fields f = run.scan(l, 0, size);
      run.emitMessage(l, f, null);
    } catch (PrintFailure e) {
      throw new ProtoJsonException("cannot print " + d.getFullName() + ": " + e.getMessage(), null);
    } finally {
      s.pool = run.pool; // possibly grown
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
    final String url;
    final MessageLayout layout;

    AnyType(byte[] urlBytes, String url, MessageLayout layout) {
      this.urlBytes = urlBytes;
      this.url = url;
      this.layout = layout;
    }
  }

  /** Direct-mapped cache of resolved type URLs; racy by design, entries are immutable. */
  private final AnyType[] anyTypeCache = new AnyType[64];

  private static int hash(byte[] b, int start, int end) {
    int h = end - start;
    for (int i = start; i < end; i++) {
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

  private void cacheAnyType(byte[] b, int start, int end, String url, MessageLayout layout) {
    if (!JsonText.isValidUtf8(b, start, end)) {
      return; // entries are used in strict mode too
    }
    anyTypeCache[hash(b, start, end) & (anyTypeCache.length - 1)] =
        new AnyType(java.util.Arrays.copyOfRange(b, start, end), url, layout);
  }

  /** The fields of one message scanned from the wire: per field a chain of value records. */
  private static final class Fields {
    final int[] head;
    final int[] tail;
    /** Per real oneof, 1 + the index of the field set last, 0 if none. */
    final int[] oneofCase;
    boolean unknown;

    Fields(MessageLayout l) {
      head = new int[l.slots.length];
      tail = new int[l.slots.length];
      oneofCase = l.oneofCount == 0 ? null : new int[l.oneofCount];
    }
  }

  /** The state of one print call. Records live in {@code pool}: next, start, end, wire type. */
  private final class Run {
    final byte[] buf;
    final JsonOut out;
    /** Inside an Any's content: decode as DynamicMessage parsing does (strict UTF-8, depth). */
    boolean strict;
    int depth;
    int[] pool;
    int poolSize = 4; // record 0 means "none"

    /** @param pool a record pool to reuse (its contents are overwritten), grown as needed */
    Run(byte[] buf, JsonOut out, int[] pool) {
      this.buf = buf;
      this.out = out;
      this.pool = pool;
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

    Fields scan(MessageLayout l, int start, int end) {
      Fields f = new Fields(l);
      scanInto(l, f, start, end);
      return f;
    }

    /** Scans the fields in {@code buf[start, end)} into {@code f} (as parsing would merge them). */
    void scanInto(MessageLayout l, Fields f, int start, int end) {
      byte[] b = buf;
      int p = start;
      while (p < end) {
        int tag = b[p];
        if (tag >= 0) {
          p++;
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
          f.unknown = true;
          continue;
        }
        record(l, s, f, vs, ve, wt);
      }
    }

    private void record(MessageLayout l, FieldSlot s, Fields f, int vs, int ve, int wt) {
      int i = s.index;
      if (s.oneof >= 0) {
        int cur = f.oneofCase[s.oneof] - 1;
        if (cur != i) {
          if (cur >= 0) {
            if (strict) {
              validateChain(l.slots[cur], f.head[cur]);
            }
            f.head[cur] = 0;
          }
          f.oneofCase[s.oneof] = i + 1;
        }
      }
      int r = newRecord(vs, ve, wt);
      if (s.repeated || s.isMessage()) {
        if (f.head[i] == 0) {
          f.head[i] = r;
        } else {
          pool[f.tail[i]] = r;
        }
      } else {
        if (strict && f.head[i] != 0) {
          validateChain(s, f.head[i]);
        }
        f.head[i] = r;
      }
      f.tail[i] = r;
    }

    // --- validation of values a parser would decode but the output drops (strict mode only) ---

    private void validateChain(FieldSlot s, int r) {
      for (; r != 0; r = next(r)) {
        if (s.isMessage()) {
          enter();
          validateMessage(s.messageLayout(), scan(s.messageLayout(), start(r), end(r)));
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

    private void validateMessage(MessageLayout l, Fields f) {
      for (FieldSlot s : l.slots) {
        if (f.head[s.index] != 0) {
          validateChain(s, f.head[s.index]);
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
      Fields f = new Fields(l);
      for (; r != 0; r = next(r)) {
        scanInto(l, f, start(r), end(r));
      }
      emitMessage(l, f, null);
      depth--;
    }

    /** Emits a single message record (a repeated or map element). */
    private void emitRecord(MessageLayout l, int r) {
      enter();
      emitMessage(l, scan(l, start(r), end(r)), null);
      depth--;
    }

    void emitMessage(MessageLayout l, Fields f, String typeUrl) {
      switch (l.kind) {
        case ANY: emitAny(l, f); return;
        case TIMESTAMP:
          JsonText.appendTimestamp(out, lastRaw(l.slots[0], f), (int) lastRaw(l.slots[1], f));
          return;
        case DURATION:
          JsonText.appendDuration(out, lastRaw(l.slots[0], f), (int) lastRaw(l.slots[1], f));
          return;
        case FIELD_MASK: emitFieldMask(l, f); return;
        case STRUCT:
          if (f.head[0] == 0) {
            out.append("{}");
          } else {
            emitMap(l.slots[0], f.head[0]);
          }
          return;
        case LIST_VALUE:
          if (f.head[0] == 0) {
            out.append("[]");
          } else {
            emitRepeated(l.slots[0], f.head[0]);
          }
          return;
        case VALUE: emitValue(l, f); return;
        case WRAPPER: {
          FieldSlot s = l.slots[0];
          if (f.head[0] == 0) {
            emitDefault(s);
          } else {
            emitSingle(s, f.head[0]);
          }
          return;
        }
        default:
          emitPlain(l, f, typeUrl);
      }
    }

    private void emitPlain(MessageLayout l, Fields f, String typeUrl) {
      out.append('{');
      boolean first = true;
      if (typeUrl != null) {
        out.append("\"@type\":");
        JsonText.appendString(out, typeUrl);
        first = false;
      }
      for (FieldSlot s : l.slots) {
        int h = f.head[s.index];
        if (h == 0) {
          continue;
        }
        if (s.repeated) {
          if (isEmpty(s, h)) {
            continue;
          }
        } else if (!s.presence && isDefault(s, h)) {
          continue;
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(s.jsonKey);
        if (s.map) {
          emitMap(s, h);
        } else if (s.repeated) {
          emitRepeated(s, h);
        } else {
          emitSingle(s, h);
        }
      }
      out.append('}');
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

    private long lastRaw(FieldSlot s, Fields f) {
      int r = f.head[s.index];
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
          emitMessage(s.messageLayout(), new Fields(s.messageLayout()), null);
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
          out.append('"').append(Long.toUnsignedString(raw)).append('"');
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
            out.append(s.enumJson((int) raw));
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
        Fields f = scan(entry, start(r), end(r));
        if (!first) {
          out.append(',');
        }
        first = false;
        int k = f.head[key.index];
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
        int v = f.head[value.index];
        if (v == 0) {
          emitDefault(value);
        } else {
          emitSingle(value, v);
        }
        depth--;
      }
      out.append('}');
    }

    private void emitValue(MessageLayout l, Fields f) {
      int c = f.oneofCase == null ? 0 : f.oneofCase[0];
      if (c == 0) {
        out.append("null");
        return;
      }
      FieldSlot s = l.slots[c - 1];
      if (s.type == FieldDescriptor.Type.DOUBLE) {
        double v = Double.longBitsToDouble(raw(s, start(f.head[s.index])));
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          throw new PrintFailure("google.protobuf.Value cannot encode double values for infinity"
              + " or nan, because they would be parsed as a string");
        }
      }
      emitSingle(s, f.head[s.index]);
    }

    private void emitFieldMask(MessageLayout l, Fields f) {
      out.append('"');
      boolean first = true;
      for (int r = f.head[0]; r != 0; r = next(r)) {
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

    private void emitAny(MessageLayout l, Fields f) {
      int t = f.head[0];
      int v = f.head[1];
      int vs = v == 0 ? 0 : start(v);
      int ve = v == 0 ? 0 : end(v);
      AnyType type = t == 0 ? null : cachedAnyType(buf, start(t), end(t));
      String typeUrl;
      MessageLayout content;
      if (type != null) {
        typeUrl = type.url;
        content = type.layout;
      } else {
        typeUrl = t == 0 ? "" : JsonText.decodeUtf8(buf, start(t), end(t), strict);
        if (typeUrl.isEmpty() && vs == ve && !f.unknown) {
          out.append("{}");
          return;
        }
        content = resolveAny(typeUrl);
        if (t != 0) {
          cacheAnyType(buf, start(t), end(t), typeUrl, content);
        }
      }
      boolean savedStrict = strict;
      int savedDepth = depth;
      strict = true;
      depth = 0;
      Fields cf = scan(content, vs, ve);
      if (content.kind == Kind.PLAIN) {
        emitPlain(content, cf, typeUrl);
      } else {
        out.append("{\"@type\":");
        JsonText.appendString(out, typeUrl);
        out.append(",\"value\":");
        emitMessage(content, cf, null);
        out.append('}');
      }
      strict = savedStrict;
      depth = savedDepth;
    }
  }
}
