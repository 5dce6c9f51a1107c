package dev.loralab.gatewayserver.udp;

import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes a PUSH_DATA body (PROTOCOL.TXT §4) straight from its bytes, without a JSON parser
 * object, for the plain JSON forwarders send (RFC 8259 §2-7): ASCII strings without escapes,
 * numbers without exponents of at most 15 significant digits (their doubles correctly rounded:
 * an exact integer over an exact power of ten), no nested values in unknown fields. It reads
 * the values the tree decoder of {@link SemtechUdpCodec} (the reference) reads, by the same rules
 * and ranges. For anything else (escaped strings, exponents, longer numbers, nested values in
 * unknown fields, duplicate names, malformed or invalid input) it gives {@code null} and the tree
 * decoder decides, with its error.
 */
final class PushDataBytesDecoder {

  /** Leave the input to the tree decoder; thrown without a stack trace. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final Unsupported UNSUPPORTED = new Unsupported();

  private static final int MAX_DATA_CHARS = ((Rxpk.MAX_PAYLOAD + 2) / 3) * 4;
  private static final int MAX_ETIME_CHARS = ((64 + 2) / 3) * 4;
  private static final long MAX_COUNT = 0xFFFF_FFFFL;
  private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
      1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

  // Field indexes: the bit each one marks in a "seen" mask.
  private static final KnownTexts<Integer> ROOT_FIELDS = fields("rxpk", "stat");
  private static final KnownTexts<Integer> RXPK_FIELDS = fields("time", "tmms", "tmst", "ftime",
      "freq", "chan", "rfch", "brd", "stat", "modu", "datr", "codr", "rssi", "rssis", "lsnr",
      "foff", "mid", "aesk", "hpw", "rsig", "size", "data");
  private static final KnownTexts<Integer> RSIG_FIELDS = fields("ant", "chan", "rssic", "rssis",
      "rssisd", "lsnr", "etime", "ftime", "foff");
  private static final KnownTexts<Integer> STAT_FIELDS = fields("time", "lati", "long", "alti",
      "rxnb", "rxok", "rxfw", "ackr", "dwnb", "txnb", "temp", "boot", "lmok", "lmst", "lmnw",
      "lpps", "fpga", "dsp", "hal");
  private static final KnownTexts<Modulation> MODULATIONS = modulations();
  private static final KnownTexts<Datr.LoRa> LORA_DATA_RATES = loRaDataRates();
  private static final KnownTexts<String> CODING_RATES = codingRates();

  /** Per thread: the decoded bytes of the base64 string being read, before they are copied. */
  private static final FastThreadLocal<byte[]> BASE64_SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[Base64Quanta.maxDecodedLength(Math.max(MAX_DATA_CHARS, MAX_ETIME_CHARS))];
    }
  };

  /**
   * Per thread: the cursor a body is read with, and its members cursors (one per object level),
   * reset for each body; decoding is never re-entered on a thread.
   */
  private static final FastThreadLocal<Reader> READERS = new FastThreadLocal<>() {
    @Override
    protected Reader initialValue() {
      return new Reader();
    }
  };

  // Value kinds.
  private static final int STRING = 1;
  private static final int INT = 2;
  private static final int FLOAT = 3;
  private static final int LITERAL = 4; // true or false
  private static final int NULL = 5;
  private static final int OBJECT = 6;
  private static final int ARRAY = 7;

  private final SemtechUdpLimits limits;

  PushDataBytesDecoder(SemtechUdpLimits limits) {
    this.limits = limits;
  }

  private static KnownTexts<Integer> fields(String... names) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], i);
    }
    return new KnownTexts<>(m);
  }

  private static KnownTexts<Modulation> modulations() {
    Map<String, Modulation> m = new HashMap<>();
    for (Modulation mod : Modulation.values()) {
      m.put(mod.wire(), mod);
    }
    return new KnownTexts<>(m);
  }

  private static KnownTexts<Datr.LoRa> loRaDataRates() {
    Map<String, Datr.LoRa> m = new HashMap<>();
    for (int sf = 5; sf <= 12; sf++) {
      for (int bw : Datr.LORA_BANDWIDTHS) {
        if (bw % 1000 == 0) {
          String name = "SF" + sf + "BW" + bw / 1000;
          m.put(name, Datr.LoRa.parse(name));
        }
      }
    }
    return new KnownTexts<>(m);
  }

  private static KnownTexts<String> codingRates() {
    Map<String, String> m = new HashMap<>();
    for (String c : SemtechUdpCodec.CODING_RATES) {
      m.put(c, c);
    }
    return new KnownTexts<>(m);
  }

  /** The PUSH_DATA of the JSON body {@code b[off, off + len)}, or null (see the class comment). */
  PushData decode(int version, int token, Eui64 eui, byte[] b, int off, int len) {
    if (len == 0 || off < 0 || len < 0 || off + len > b.length) {
      return null;
    }
    Reader r = READERS.get().reset(b, off, off + len);
    try {
      if (r.value() != OBJECT) {
        return null;
      }
      r.enter(1, limits.maxJsonNesting());
      List<Rxpk> rxpk = new ArrayList<>();
      Stat stat = null;
      Members members = r.members(0, ROOT_FIELDS);
      for (int f; (f = members.next()) >= 0; ) {
        int t = members.kind;
        if (f == 0) {
          if (t == ARRAY) {
            r.enter(2, limits.maxJsonNesting());
            readRxpkArray(r, rxpk);
          } else if (t != NULL) {
            throw UNSUPPORTED;
          }
        } else {
          if (t == OBJECT) {
            r.enter(2, limits.maxJsonNesting());
            stat = readStat(r);
          } else if (t != NULL) {
            throw UNSUPPORTED;
          }
        }
      }
      if (!r.atEnd()) {
        return null;
      }
      return new PushData(version, token, eui, rxpk, Optional.ofNullable(stat));
    } catch (RuntimeException e) {
      // Unsupported, malformed or an invalid value: the tree decoder decides.
      return null;
    } finally {
      r.release();
    }
  }

  private void readRxpkArray(Reader r, List<Rxpk> out) {
    for (boolean first = true; nextObject(r, first, out.size(), limits.maxRxpkPerPushData(), 3);
        first = false) {
      out.add(readRxpk(r));
    }
  }

  /**
   * Inside an array of objects, {@code count} of them read: true past the next one's opening
   * brace (at most {@code max} of them, at nesting {@code depth}); false past the closing bracket.
   */
  private boolean nextObject(Reader r, boolean first, int count, int max, int depth) {
    if (!r.element(first)) {
      return false;
    }
    if (r.value() != OBJECT || count >= max) {
      throw UNSUPPORTED;
    }
    r.enter(depth, limits.maxJsonNesting());
    return true;
  }

  private Rxpk readRxpk(Reader r) {
    Instant time = null;
    Long tmms = null;
    Long tmst = null;
    Long ftime = null;
    Double freq = null;
    Integer chan = null;
    Integer rfch = null;
    Integer brd = null;
    Integer stat = null;
    Modulation modulation = null;
    String datrText = null;
    Datr.LoRa datrLoRa = null;
    Integer datrNumber = null;
    String codr = null;
    Double rssi = null;
    Double rssis = null;
    Double lsnr = null;
    Long foff = null;
    Integer mid = null;
    Integer aesk = null;
    Integer hpw = null;
    List<Rsig> rsig = List.of();
    Integer size = null;
    Bytes payload = null;
    Members members = r.members(1, RXPK_FIELDS);
    for (int f; (f = members.next()) >= 0; ) {
      int t = members.kind;
      switch (f) {
        case 0 -> {
          if (t == STRING && r.textLen <= 40) {
            time = UtcTimestamp.parseCommonShape(r.b, r.textOff, r.textLen);
          }
          if (time == null) {
            String s = string(r, t, 40);
            time = s == null ? null : UtcTimestamp.parse(s);
          }
        }
        case 1 -> tmms = integer(r, t, 0, Long.MAX_VALUE / 2);
        case 2 -> tmst = integer(r, t, 0, 0xFFFF_FFFFL);
        case 3 -> ftime = integer(r, t, 0, 999_999_999);
        case 4 -> freq = decimal(r, t, SemtechUdpCodec.MIN_FREQUENCY_HZ / 1e6,
            SemtechUdpCodec.MAX_FREQUENCY_HZ / 1e6);
        case 5 -> chan = int32(r, t, 0, 255);
        case 6 -> rfch = int32(r, t, 0, 255);
        case 7 -> brd = int32(r, t, 0, 255);
        case 8 -> stat = int32(r, t, -1, 1);
        case 9 -> {
          if (t == STRING) {
            modulation = MODULATIONS.value(r.b, r.textOff, r.textLen);
            if (modulation == null) {
              throw UNSUPPORTED;
            }
          } else if (t != NULL) {
            throw UNSUPPORTED;
          }
        }
        case 10 -> {
          if (t == STRING) {
            datrLoRa = LORA_DATA_RATES.value(r.b, r.textOff, r.textLen);
            datrText = datrLoRa != null ? null : r.text(); // a LoRa name is no LR-FHSS one
          } else if (t == INT && r.number == (int) r.number) {
            datrNumber = (int) r.number;
          } else if (t != NULL) {
            throw UNSUPPORTED;
          }
        }
        case 11 -> {
          codr = t == STRING ? CODING_RATES.value(r.b, r.textOff, r.textLen) : null;
          if (codr == null) {
            codr = string(r, t, 8);
          }
        }
        case 12 -> rssi = decimal(r, t, -300, 100);
        case 13 -> rssis = decimal(r, t, -300, 100);
        case 14 -> lsnr = decimal(r, t, -100, 100);
        case 15 -> foff = integer(r, t, -1_000_000, 1_000_000);
        case 16 -> mid = int32(r, t, 0, 255);
        case 17 -> aesk = int32(r, t, 0, 255);
        case 18 -> hpw = int32(r, t, 0, 255);
        case 19 -> {
          if (t == ARRAY) {
            r.enter(4, limits.maxJsonNesting());
            rsig = readRsigArray(r);
          } else if (t != NULL) {
            throw UNSUPPORTED;
          }
        }
        case 20 -> size = int32(r, t, 0, Rxpk.MAX_PAYLOAD);
        default -> payload = base64(r, t, MAX_DATA_CHARS);
      }
    }
    if (tmst == null || freq == null || modulation == null || payload == null) {
      throw UNSUPPORTED;
    }
    if (size != null && size != payload.length()) {
      throw UNSUPPORTED;
    }
    Datr datr = switch (modulation) {
      case LORA -> datrLoRa != null ? datrLoRa
          : datrText != null && datrText.length() <= 16 ? Datr.LoRa.parse(datrText) : null;
      case FSK -> datrNumber != null ? new Datr.Fsk(datrNumber) : null;
      case LR_FHSS -> datrText != null && datrText.length() <= 16 ? new Datr.LrFhss(datrText) : null;
    };
    if (datr == null) {
      throw UNSUPPORTED;
    }
    return new Rxpk(time, tmms, tmst, ftime, Math.round(freq * 1e6), chan, rfch, brd, stat,
        modulation, datr, codr, rssi, rssis, lsnr, foff, mid, aesk, hpw, rsig, payload);
  }

  private List<Rsig> readRsigArray(Reader r) {
    List<Rsig> out = new ArrayList<>(2);
    for (boolean first = true; nextObject(r, first, out.size(), limits.maxRsigPerRxpk(), 5);
        first = false) {
      out.add(readRsig(r));
    }
    return out;
  }

  private static Rsig readRsig(Reader r) {
    Long ant = null;
    Integer chan = null;
    Double rssic = null;
    Double rssis = null;
    Double rssisd = null;
    Double lsnr = null;
    Bytes etime = null;
    Long ftime = null;
    Long foff = null;
    Members members = r.members(2, RSIG_FIELDS);
    for (int f; (f = members.next()) >= 0; ) {
      int t = members.kind;
      switch (f) {
        case 0 -> ant = integer(r, t, 0, 255);
        case 1 -> chan = int32(r, t, 0, 255);
        case 2 -> rssic = decimal(r, t, -300, 100);
        case 3 -> rssis = decimal(r, t, -300, 100);
        case 4 -> rssisd = decimal(r, t, 0, 1000);
        case 5 -> lsnr = decimal(r, t, -100, 100);
        case 6 -> etime = base64(r, t, MAX_ETIME_CHARS);
        case 7 -> ftime = integer(r, t, 0, 999_999_999);
        default -> foff = integer(r, t, -1_000_000, 1_000_000);
      }
    }
    if (ant == null) {
      throw UNSUPPORTED;
    }
    return new Rsig(ant.intValue(), chan, rssic, rssis, rssisd, lsnr, etime, ftime, foff);
  }

  private static Stat readStat(Reader r) {
    String time = null;
    Double lati = null;
    Double longi = null;
    Integer alti = null;
    Long rxnb = null;
    Long rxok = null;
    Long rxfw = null;
    Double ackr = null;
    Long dwnb = null;
    Long txnb = null;
    Double temp = null;
    String boot = null;
    Long lmok = null;
    Long lmst = null;
    Long lmnw = null;
    Long lpps = null;
    Long fpga = null;
    Long dsp = null;
    String hal = null;
    Members members = r.members(1, STAT_FIELDS);
    for (int f; (f = members.next()) >= 0; ) {
      int t = members.kind;
      switch (f) {
        case 0 -> time = string(r, t, 64);
        case 1 -> lati = decimal(r, t, -90, 90);
        case 2 -> longi = decimal(r, t, -180, 180);
        case 3 -> alti = int32(r, t, -20_000, 100_000);
        case 4 -> rxnb = integer(r, t, 0, MAX_COUNT);
        case 5 -> rxok = integer(r, t, 0, MAX_COUNT);
        case 6 -> rxfw = integer(r, t, 0, MAX_COUNT);
        case 7 -> ackr = decimal(r, t, 0, 100);
        case 8 -> dwnb = integer(r, t, 0, MAX_COUNT);
        case 9 -> txnb = integer(r, t, 0, MAX_COUNT);
        case 10 -> temp = decimal(r, t, -273.15, 500);
        case 11 -> boot = string(r, t, 64);
        case 12 -> lmok = integer(r, t, 0, MAX_COUNT);
        case 13 -> lmst = integer(r, t, 0, MAX_COUNT);
        case 14 -> lmnw = integer(r, t, 0, MAX_COUNT);
        case 15 -> lpps = integer(r, t, 0, MAX_COUNT);
        case 16 -> fpga = integer(r, t, 0, MAX_COUNT);
        case 17 -> dsp = integer(r, t, 0, MAX_COUNT);
        default -> hal = string(r, t, 64);
      }
    }
    return new Stat(time, lati, longi, alti, rxnb, rxok, rxfw, ackr, dwnb, txnb, temp, boot, lmok,
        lmst, lmnw, lpps, fpga, dsp, hal);
  }

  /**
   * The members of one object, in order: each known field's index with its value read (its kind
   * in {@link #kind}). Unknown members with scalar values are passed over; a nested unknown value
   * or a name given twice is left to the tree decoder.
   */
  private static final class Members {
    private final Reader r;
    private final List<String> others = new ArrayList<>(2); // the unknown names
    private KnownTexts<Integer> fields;
    private boolean first;
    private int seen; // a bit per known field index
    int kind;

    Members(Reader r) {
      this.r = r;
    }

    Members reset(KnownTexts<Integer> fields) {
      this.fields = fields;
      first = true;
      seen = 0;
      others.clear();
      return this;
    }

    /** The index of the next known field, its value read; -1 past the closing brace. */
    int next() {
      while (r.member(first)) {
        first = false;
        Integer f = r.field(fields);
        kind = r.value();
        if (f != null) {
          int bit = 1 << f;
          if ((seen & bit) != 0) {
            throw UNSUPPORTED;
          }
          seen |= bit;
          return f;
        }
        skipUnknown();
      }
      return -1;
    }

    /** Ignores an unknown field's scalar value (already read). */
    private void skipUnknown() {
      if (kind == OBJECT || kind == ARRAY) {
        throw UNSUPPORTED;
      }
      String name = r.name();
      if (others.contains(name)) {
        throw UNSUPPORTED;
      }
      others.add(name);
    }
  }

  /**
   * Whether the value read is a string of at most {@code maxChars}; false for null; anything else
   * is left to the tree decoder.
   */
  private static boolean text(Reader r, int t, int maxChars) {
    if (t == NULL) {
      return false;
    }
    if (t != STRING || r.textLen > maxChars) {
      throw UNSUPPORTED;
    }
    return true;
  }

  private static Bytes base64(Reader r, int t, int maxChars) {
    if (!text(r, t, maxChars)) {
      return null;
    }
    byte[] out = BASE64_SCRATCH.get();
    int n = Base64Quanta.decode(r.b, r.textOff, r.textLen, out);
    if (n < 0) {
      throw UNSUPPORTED; // unpadded or not base64: the tree decoder decides
    }
    return Bytes.of(out, 0, n);
  }

  private static String string(Reader r, int t, int maxLength) {
    return text(r, t, maxLength) ? r.text() : null;
  }

  /** An integer in [min, max]: an integer number or a fraction-free one; null for JSON null. */
  private static Long integer(Reader r, int t, long min, long max) {
    long v;
    if (t == INT) {
      v = r.number;
    } else if (t == FLOAT) {
      double d = r.decimal;
      if (!(d >= min && d <= max) || d != Math.rint(d)) {
        throw UNSUPPORTED;
      }
      v = (long) d;
    } else if (t == NULL) {
      return null;
    } else {
      throw UNSUPPORTED;
    }
    if (v < min || v > max) {
      throw UNSUPPORTED;
    }
    return v;
  }

  private static Integer int32(Reader r, int t, int min, int max) {
    Long v = integer(r, t, min, max);
    return v == null ? null : v.intValue();
  }

  private static Double decimal(Reader r, int t, double min, double max) {
    double d;
    if (t == INT) {
      d = r.number;
    } else if (t == FLOAT) {
      d = r.decimal;
    } else if (t == NULL) {
      return null;
    } else {
      throw UNSUPPORTED;
    }
    if (!(d >= min && d <= max)) {
      throw UNSUPPORTED;
    }
    return d;
  }

  /** A cursor over the body; the last name and value read. */
  private static final class Reader {
    /** The members cursors of the root object, of an rxpk or stat, and of an rsig. */
    private final Members[] levels = {new Members(this), new Members(this), new Members(this)};
    byte[] b;
    private int end;
    private int pos;
    private int nameOff;
    private int nameLen;
    int textOff;
    int textLen;
    long number;
    double decimal;

    /** This cursor at {@code pos}, to read {@code b} up to {@code end}. */
    Reader reset(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
      return this;
    }

    /** Lets go of the body (a thread keeps its cursor). */
    void release() {
      b = null;
    }

    /** The members of the object just entered, at object {@code level} (0 is the root). */
    Members members(int level, KnownTexts<Integer> fields) {
      return levels[level].reset(fields);
    }

    /** The next byte after JSON whitespace (RFC 8259 §2), not consumed; -1 at the end. */
    private int peek() {
      while (pos < end) {
        byte c = b[pos];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return c & 0xFF;
        }
        pos++;
      }
      return -1;
    }

    boolean atEnd() {
      return peek() == -1;
    }

    void enter(int depth, int maxDepth) {
      if (depth > maxDepth) {
        throw UNSUPPORTED;
      }
    }

    /**
     * Inside an object: reads the next member's name and its colon, true; or the closing brace,
     * false.
     */
    boolean member(boolean first) {
      if (!next(first, '}')) {
        return false;
      }
      if (peek() != '"') {
        throw UNSUPPORTED;
      }
      string();
      nameOff = textOff;
      nameLen = textLen;
      if (peek() != ':') {
        throw UNSUPPORTED;
      }
      pos++;
      return true;
    }

    /** Inside an array: true before the next element; or the closing bracket, false. */
    boolean element(boolean first) {
      return next(first, ']');
    }

    /** Past the comma before a member or element but the first, true; or past {@code close}. */
    private boolean next(boolean first, int close) {
      int c = peek();
      if (c == close) {
        pos++;
        return false;
      }
      if (!first) {
        if (c != ',') {
          throw UNSUPPORTED;
        }
        pos++;
      }
      return true;
    }

    Integer field(KnownTexts<Integer> fields) {
      return fields.value(b, nameOff, nameLen);
    }

    String name() {
      return new String(b, nameOff, nameLen, StandardCharsets.ISO_8859_1);
    }

    String text() {
      return new String(b, textOff, textLen, StandardCharsets.ISO_8859_1);
    }

    /** Reads a value: a scalar whole, or the opening of an object or array. */
    int value() {
      int c = peek();
      switch (c) {
        case '{' -> {
          pos++;
          return OBJECT;
        }
        case '[' -> {
          pos++;
          return ARRAY;
        }
        case '"' -> {
          string();
          return STRING;
        }
        case 't' -> {
          literal("true");
          return LITERAL;
        }
        case 'f' -> {
          literal("false");
          return LITERAL;
        }
        case 'n' -> {
          literal("null");
          return NULL;
        }
        default -> {
          return number();
        }
      }
    }

    /** A string of printable ASCII without escapes, from its opening quote. */
    private void string() {
      int i = pos + 1;
      while (true) {
        if (i >= end) {
          throw UNSUPPORTED;
        }
        byte c = b[i];
        if (c == '"') {
          break;
        }
        if (c < 0x20 || c == '\\') { // control characters, escapes, and (negative) non-ASCII
          throw UNSUPPORTED;
        }
        i++;
      }
      textOff = pos + 1;
      textLen = i - textOff;
      pos = i + 1;
    }

    private void literal(String word) {
      if (end - pos < word.length()) {
        throw UNSUPPORTED;
      }
      for (int k = 0; k < word.length(); k++) {
        if (b[pos + k] != word.charAt(k)) {
          throw UNSUPPORTED;
        }
      }
      pos += word.length();
      delimited();
    }

    /** What follows a scalar must end it. */
    private void delimited() {
      if (pos < end) {
        byte c = b[pos];
        if (c != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' && c != '\r'
            && c != '\t') {
          throw UNSUPPORTED;
        }
      }
    }

    /**
     * {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?} with at most 15 digits in all (RFC 8259 §6); anything
     * else (exponents, more digits) is left to the tree decoder.
     */
    private int number() {
      boolean negative = false;
      if (pos < end && b[pos] == '-') {
        negative = true;
        pos++;
      }
      long mantissa = 0;
      int digits = 0;
      int start = pos;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        mantissa = mantissa * 10 + (b[pos] - '0');
        digits++;
        pos++;
        if (digits > 15) {
          throw UNSUPPORTED;
        }
      }
      if (digits == 0 || (b[start] == '0' && digits > 1)) {
        throw UNSUPPORTED; // no digits, or a leading zero
      }
      if (pos < end && b[pos] == '.') {
        pos++;
        int fraction = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
          mantissa = mantissa * 10 + (b[pos] - '0');
          digits++;
          fraction++;
          pos++;
          if (digits > 15) {
            throw UNSUPPORTED;
          }
        }
        if (fraction == 0) {
          throw UNSUPPORTED;
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
          throw UNSUPPORTED;
        }
        delimited();
        // both exact (mantissa < 10^15 < 2^53): the quotient is correctly rounded
        double d = mantissa / POWERS_OF_TEN[fraction];
        decimal = negative ? -d : d;
        return FLOAT;
      }
      if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
        throw UNSUPPORTED;
      }
      delimited();
      number = negative ? -mantissa : mantissa;
      return INT;
    }
  }
}
