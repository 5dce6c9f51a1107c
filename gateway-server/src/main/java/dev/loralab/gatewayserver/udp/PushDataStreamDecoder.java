package dev.loralab.gatewayserver.udp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes a PUSH_DATA body (PROTOCOL.TXT §4) straight from the parser's tokens into the packet
 * records, without a tree, for input it fully understands: a well-formed object without duplicate
 * names, every known field of the type and range the tree decoder accepts, and the whole decoded
 * packet valid. For anything else it gives {@code null} and the tree decoder of
 * {@link SemtechUdpCodec}, the reference, decides (with its error). The values read are those the
 * tree decoder reads from the same tokens; unknown fields are read as the tree would read them
 * (well-formedness, nested duplicate names) and ignored.
 */
final class PushDataStreamDecoder {

  /** Leave the input to the tree decoder; thrown without a stack trace. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final Unsupported UNSUPPORTED = new Unsupported();

  /** ((255 + 2) / 3) * 4, the base64 length of the largest payload. */
  private static final int MAX_DATA_CHARS = ((Rxpk.MAX_PAYLOAD + 2) / 3) * 4;
  private static final int MAX_ETIME_CHARS = ((64 + 2) / 3) * 4;
  private static final long MAX_COUNT = 0xFFFF_FFFFL;
  private static final Modulation[] MODULATIONS = Modulation.values();
  /** The LoRa data rates of whole-kHz bandwidths by name, as {@code Datr.LoRa.parse} reads them. */
  private static final KnownTexts<KnownLoRa> LORA_DATA_RATES = loRaDataRates();
  private static final KnownTexts<String> CODING_RATES = codingRates();

  /** A data rate name and the value {@code Datr.LoRa.parse} gives for it. */
  private record KnownLoRa(String name, Datr.LoRa value) {}

  private static KnownTexts<KnownLoRa> loRaDataRates() {
    Map<String, KnownLoRa> m = new HashMap<>();
    for (int sf = 5; sf <= 12; sf++) {
      for (int bw : Datr.LORA_BANDWIDTHS) {
        if (bw % 1000 == 0) {
          String name = "SF" + sf + "BW" + bw / 1000;
          m.put(name, new KnownLoRa(name, Datr.LoRa.parse(name)));
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

  /** Per thread: the decoded bytes of the base64 string being read, before they are copied. */
  private static final FastThreadLocal<byte[]> BASE64_SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[Base64Quanta.maxDecodedLength(Math.max(MAX_DATA_CHARS, MAX_ETIME_CHARS))];
    }
  };

  private final JsonFactory factory;
  private final SemtechUdpLimits limits;

  PushDataStreamDecoder(JsonFactory factory, SemtechUdpLimits limits) {
    this.factory = factory;
    this.limits = limits;
  }

  /** The PUSH_DATA of the JSON body {@code b[off, off + len)}, or null (see the class comment). */
  PushData decode(int version, int token, Eui64 eui, byte[] b, int off, int len) {
    if (len == 0) {
      return null;
    }
    try (JsonParser p = factory.createParser(b, off, len)) {
      p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      List<Rxpk> rxpk = new ArrayList<>();
      Stat stat = null;
      int seen = 0;
      List<String> others = null;
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (name) {
          case "rxpk" -> {
            seen = mark(seen, 0);
            if (t == JsonToken.START_ARRAY) {
              readRxpkArray(p, rxpk);
            } else if (t != JsonToken.VALUE_NULL) {
              throw UNSUPPORTED;
            }
          }
          case "stat" -> {
            seen = mark(seen, 1);
            if (t == JsonToken.START_OBJECT) {
              stat = readStat(p);
            } else if (t != JsonToken.VALUE_NULL) {
              throw UNSUPPORTED;
            }
          }
          default -> others = skip(p, t, name, others);
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return null;
      }
      return new PushData(version, token, eui, rxpk, Optional.ofNullable(stat));
    } catch (Exception e) {
      // Unsupported, malformed JSON (IOException) or an invalid value: the tree decoder decides.
      return null;
    }
  }

  private void readRxpkArray(JsonParser p, List<Rxpk> out) throws java.io.IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT || out.size() >= limits.maxRxpkPerPushData()) {
        throw UNSUPPORTED;
      }
      out.add(readRxpk(p));
    }
  }

  private Rxpk readRxpk(JsonParser p) throws java.io.IOException {
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
    KnownLoRa datrLoRa = null;
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
    int seen = 0;
    List<String> others = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "time" -> {
          seen = mark(seen, 0);
          String s = string(p, t, 40);
          time = s == null ? null : UtcTimestamp.parse(s);
        }
        case "tmms" -> {
          seen = mark(seen, 1);
          tmms = integer(p, t, 0, Long.MAX_VALUE / 2);
        }
        case "tmst" -> {
          seen = mark(seen, 2);
          tmst = integer(p, t, 0, 0xFFFF_FFFFL);
        }
        case "ftime" -> {
          seen = mark(seen, 3);
          ftime = integer(p, t, 0, 999_999_999);
        }
        case "freq" -> {
          seen = mark(seen, 4);
          freq = decimal(p, t, SemtechUdpCodec.MIN_FREQUENCY_HZ / 1e6,
              SemtechUdpCodec.MAX_FREQUENCY_HZ / 1e6);
        }
        case "chan" -> {
          seen = mark(seen, 5);
          chan = int32(p, t, 0, 255);
        }
        case "rfch" -> {
          seen = mark(seen, 6);
          rfch = int32(p, t, 0, 255);
        }
        case "brd" -> {
          seen = mark(seen, 7);
          brd = int32(p, t, 0, 255);
        }
        case "stat" -> {
          seen = mark(seen, 8);
          stat = int32(p, t, -1, 1);
        }
        case "modu" -> {
          seen = mark(seen, 9);
          modulation = modulation(p, t);
        }
        case "datr" -> {
          seen = mark(seen, 10);
          if (t == JsonToken.VALUE_STRING) {
            char[] c = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            datrLoRa = LORA_DATA_RATES.value(c, off, len);
            datrText = datrLoRa != null ? datrLoRa.name() : p.getText();
          } else if (t == JsonToken.VALUE_NUMBER_INT
              && p.getNumberType() == JsonParser.NumberType.INT) {
            datrNumber = p.getIntValue();
          } else if (t != JsonToken.VALUE_NULL) {
            throw UNSUPPORTED;
          }
        }
        case "codr" -> {
          seen = mark(seen, 11);
          codr = codingRate(p, t);
        }
        case "rssi" -> {
          seen = mark(seen, 12);
          rssi = decimal(p, t, -300, 100);
        }
        case "rssis" -> {
          seen = mark(seen, 13);
          rssis = decimal(p, t, -300, 100);
        }
        case "lsnr" -> {
          seen = mark(seen, 14);
          lsnr = decimal(p, t, -100, 100);
        }
        case "foff" -> {
          seen = mark(seen, 15);
          foff = integer(p, t, -1_000_000, 1_000_000);
        }
        case "mid" -> {
          seen = mark(seen, 16);
          mid = int32(p, t, 0, 255);
        }
        case "aesk" -> {
          seen = mark(seen, 17);
          aesk = int32(p, t, 0, 255);
        }
        case "hpw" -> {
          seen = mark(seen, 18);
          hpw = int32(p, t, 0, 255);
        }
        case "rsig" -> {
          seen = mark(seen, 19);
          if (t == JsonToken.START_ARRAY) {
            rsig = readRsigArray(p);
          } else if (t != JsonToken.VALUE_NULL) {
            throw UNSUPPORTED;
          }
        }
        case "size" -> {
          seen = mark(seen, 20);
          size = int32(p, t, 0, Rxpk.MAX_PAYLOAD);
        }
        case "data" -> {
          seen = mark(seen, 21);
          payload = base64(p, t, MAX_DATA_CHARS);
        }
        default -> others = skip(p, t, name, others);
      }
    }
    if (tmst == null || freq == null || modulation == null || payload == null) {
      throw UNSUPPORTED;
    }
    if (size != null && size != payload.length()) {
      throw UNSUPPORTED;
    }
    Datr datr = switch (modulation) {
      case LORA -> datrLoRa != null ? datrLoRa.value()
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

  private List<Rsig> readRsigArray(JsonParser p) throws java.io.IOException {
    List<Rsig> out = new ArrayList<>(2);
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT || out.size() >= limits.maxRsigPerRxpk()) {
        throw UNSUPPORTED;
      }
      out.add(readRsig(p));
    }
    return out;
  }

  private static Rsig readRsig(JsonParser p) throws java.io.IOException {
    Long ant = null;
    Integer chan = null;
    Double rssic = null;
    Double rssis = null;
    Double rssisd = null;
    Double lsnr = null;
    Bytes etime = null;
    Long ftime = null;
    Long foff = null;
    int seen = 0;
    List<String> others = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "ant" -> {
          seen = mark(seen, 0);
          ant = integer(p, t, 0, 255);
        }
        case "chan" -> {
          seen = mark(seen, 1);
          chan = int32(p, t, 0, 255);
        }
        case "rssic" -> {
          seen = mark(seen, 2);
          rssic = decimal(p, t, -300, 100);
        }
        case "rssis" -> {
          seen = mark(seen, 3);
          rssis = decimal(p, t, -300, 100);
        }
        case "rssisd" -> {
          seen = mark(seen, 4);
          rssisd = decimal(p, t, 0, 1000);
        }
        case "lsnr" -> {
          seen = mark(seen, 5);
          lsnr = decimal(p, t, -100, 100);
        }
        case "etime" -> {
          seen = mark(seen, 6);
          etime = base64(p, t, MAX_ETIME_CHARS);
        }
        case "ftime" -> {
          seen = mark(seen, 7);
          ftime = integer(p, t, 0, 999_999_999);
        }
        case "foff" -> {
          seen = mark(seen, 8);
          foff = integer(p, t, -1_000_000, 1_000_000);
        }
        default -> others = skip(p, t, name, others);
      }
    }
    if (ant == null) {
      throw UNSUPPORTED;
    }
    return new Rsig(ant.intValue(), chan, rssic, rssis, rssisd, lsnr, etime, ftime, foff);
  }

  private static Stat readStat(JsonParser p) throws java.io.IOException {
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
    int seen = 0;
    List<String> others = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "time" -> {
          seen = mark(seen, 0);
          time = string(p, t, 64);
        }
        case "lati" -> {
          seen = mark(seen, 1);
          lati = decimal(p, t, -90, 90);
        }
        case "long" -> {
          seen = mark(seen, 2);
          longi = decimal(p, t, -180, 180);
        }
        case "alti" -> {
          seen = mark(seen, 3);
          alti = int32(p, t, -20_000, 100_000);
        }
        case "rxnb" -> {
          seen = mark(seen, 4);
          rxnb = integer(p, t, 0, MAX_COUNT);
        }
        case "rxok" -> {
          seen = mark(seen, 5);
          rxok = integer(p, t, 0, MAX_COUNT);
        }
        case "rxfw" -> {
          seen = mark(seen, 6);
          rxfw = integer(p, t, 0, MAX_COUNT);
        }
        case "ackr" -> {
          seen = mark(seen, 7);
          ackr = decimal(p, t, 0, 100);
        }
        case "dwnb" -> {
          seen = mark(seen, 8);
          dwnb = integer(p, t, 0, MAX_COUNT);
        }
        case "txnb" -> {
          seen = mark(seen, 9);
          txnb = integer(p, t, 0, MAX_COUNT);
        }
        case "temp" -> {
          seen = mark(seen, 10);
          temp = decimal(p, t, -273.15, 500);
        }
        case "boot" -> {
          seen = mark(seen, 11);
          boot = string(p, t, 64);
        }
        case "lmok" -> {
          seen = mark(seen, 12);
          lmok = integer(p, t, 0, MAX_COUNT);
        }
        case "lmst" -> {
          seen = mark(seen, 13);
          lmst = integer(p, t, 0, MAX_COUNT);
        }
        case "lmnw" -> {
          seen = mark(seen, 14);
          lmnw = integer(p, t, 0, MAX_COUNT);
        }
        case "lpps" -> {
          seen = mark(seen, 15);
          lpps = integer(p, t, 0, MAX_COUNT);
        }
        case "fpga" -> {
          seen = mark(seen, 16);
          fpga = integer(p, t, 0, MAX_COUNT);
        }
        case "dsp" -> {
          seen = mark(seen, 17);
          dsp = integer(p, t, 0, MAX_COUNT);
        }
        case "hal" -> {
          seen = mark(seen, 18);
          hal = string(p, t, 64);
        }
        default -> others = skip(p, t, name, others);
      }
    }
    return new Stat(time, lati, longi, alti, rxnb, rxok, rxfw, ackr, dwnb, txnb, temp, boot, lmok,
        lmst, lmnw, lpps, fpga, dsp, hal);
  }

  /** {@code seen} with field {@code bit} marked; a name seen before is a duplicate. */
  private static int mark(int seen, int bit) {
    int m = 1 << bit;
    if ((seen & m) != 0) {
      throw UNSUPPORTED;
    }
    return seen | m;
  }

  /**
   * Reads an unknown field's value as the tree reader would (so malformed content, nested
   * duplicates and number shapes it leaves to the mapper are found) and ignores it.
   */
  private static List<String> skip(JsonParser p, JsonToken t, String name, List<String> others)
      throws java.io.IOException {
    if (others != null && others.contains(name)) {
      throw UNSUPPORTED;
    }
    switch (t) {
      // Scalars are parsed as the tree reader parses them, without making a node.
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> {
        switch (p.getNumberType()) {
          case INT -> p.getIntValue();
          case LONG -> p.getLongValue();
          default -> p.getBigIntegerValue();
        }
      }
      case VALUE_NUMBER_FLOAT -> doubleOf(p);
      case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> { }
      default -> {
        if (SemtechUdpCodec.readValue(p, t) == null) {
          throw UNSUPPORTED;
        }
      }
    }
    List<String> names = others == null ? new ArrayList<>(2) : others;
    names.add(name);
    return names;
  }

  /** The modulation named by a string token, matched without making a string; null for JSON null. */
  private static Modulation modulation(JsonParser p, JsonToken t) throws java.io.IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw UNSUPPORTED;
    }
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    int len = p.getTextLength();
    for (Modulation m : MODULATIONS) {
      String w = m.wire();
      if (w.length() == len) {
        int i = 0;
        while (i < len && w.charAt(i) == c[off + i]) {
          i++;
        }
        if (i == len) {
          return m;
        }
      }
    }
    throw UNSUPPORTED;
  }

  /**
   * The bytes of a base64 string of at most {@code maxChars} characters, decoded as
   * {@code Base64.getDecoder().decode(String)} decodes them but from the parser's characters (no
   * string); null for JSON null. Padded input of whole quanta (what forwarders send) is decoded
   * here into this thread's scratch array, so that the only array made is the value's own; any
   * other shape goes through the JDK's decoder.
   */
  private static Bytes base64(JsonParser p, JsonToken t, int maxChars) throws java.io.IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw UNSUPPORTED;
    }
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    int len = p.getTextLength();
    if (len > maxChars) {
      throw UNSUPPORTED;
    }
    byte[] out = BASE64_SCRATCH.get();
    int n = Base64Quanta.decode(c, off, len, out);
    if (n >= 0) {
      return Bytes.of(out, 0, n);
    }
    byte[] ascii = new byte[len];
    for (int i = 0; i < len; i++) {
      char ch = c[off + i];
      if (ch > 0x7F) {
        throw UNSUPPORTED; // never base64; the tree decoder reports it
      }
      ascii[i] = (byte) ch;
    }
    return Bytes.of(Base64.getDecoder().decode(ascii));
  }

  /** A coding rate: one of the known ones without making a string, else as {@link #string}. */
  private static String codingRate(JsonParser p, JsonToken t) throws java.io.IOException {
    if (t == JsonToken.VALUE_STRING) {
      String known = CODING_RATES.text(p.getTextCharacters(), p.getTextOffset(),
          p.getTextLength());
      if (known != null) {
        return known;
      }
    }
    return string(p, t, 8);
  }

  /** A string of at most {@code maxLength} characters, or null for JSON null. */
  private static String string(JsonParser p, JsonToken t, int maxLength) throws java.io.IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw UNSUPPORTED;
    }
    String s = p.getText();
    if (s.length() > maxLength) {
      throw UNSUPPORTED;
    }
    return s;
  }

  /**
   * An integer in [min, max] as the tree decoder reads it: an int or long number, or a fraction-free
   * double; null for JSON null.
   */
  private static Long integer(JsonParser p, JsonToken t, long min, long max)
      throws java.io.IOException {
    long v;
    if (t == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType type = p.getNumberType();
      if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
        throw UNSUPPORTED;
      }
      v = p.getLongValue();
    } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = doubleOf(p);
      if (!(d >= min && d <= max) || d != Math.rint(d)) {
        throw UNSUPPORTED;
      }
      v = (long) d;
    } else if (t == JsonToken.VALUE_NULL) {
      return null;
    } else {
      throw UNSUPPORTED;
    }
    if (v < min || v > max) {
      throw UNSUPPORTED;
    }
    return v;
  }

  private static Integer int32(JsonParser p, JsonToken t, int min, int max)
      throws java.io.IOException {
    Long v = integer(p, t, min, max);
    return v == null ? null : v.intValue();
  }

  /** A number in [min, max] as a double, as the tree decoder reads it; null for JSON null. */
  private static Double decimal(JsonParser p, JsonToken t, double min, double max)
      throws java.io.IOException {
    double d;
    if (t == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType type = p.getNumberType();
      if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
        throw UNSUPPORTED;
      }
      d = p.getLongValue();
    } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      d = doubleOf(p);
    } else if (t == JsonToken.VALUE_NULL) {
      return null;
    } else {
      throw UNSUPPORTED;
    }
    if (!(d >= min && d <= max)) {
      throw UNSUPPORTED;
    }
    return d;
  }

  /** A floating-point token's value, for the shapes the tree reader reads as a double. */
  private static double doubleOf(JsonParser p) throws java.io.IOException {
    JsonParser.NumberTypeFP fp = p.getNumberTypeFP();
    if (fp == JsonParser.NumberTypeFP.BIG_DECIMAL || fp == JsonParser.NumberTypeFP.FLOAT32) {
      throw UNSUPPORTED;
    }
    return p.getDoubleValue();
  }
}
