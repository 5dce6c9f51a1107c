package dev.loralab.gatewayserver.udp;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.gatewayserver.udp.SemtechPacket.TxAck;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pure encoder and decoder of Semtech UDP packet-forwarder datagrams (PROTOCOL.TXT §3–6, protocol
 * versions 1 and 2, sx1302 extensions). Instances are immutable and thread-safe; decoding throws
 * only {@link SemtechUdpException}.
 */
public final class SemtechUdpCodec {

  /** Lowest plausible radio frequency, Hz. */
  public static final long MIN_FREQUENCY_HZ = 100_000_000L;
  /** Highest plausible radio frequency, Hz (2.4 GHz ISM included). */
  public static final long MAX_FREQUENCY_HZ = 3_000_000_000L;
  /** Coding rates gateways report (LoRa and LR-FHSS). */
  public static final Set<String> CODING_RATES =
      Set.of("4/5", "4/6", "4/7", "4/8", "4/5LI", "4/6LI", "4/8LI", "1/3", "2/3", "1/2", "5/6",
          "OFF");

  private static final int MAX_DATA_BYTES = Rxpk.MAX_PAYLOAD;

  private final SemtechUdpLimits limits;
  private final JsonFactory factory;
  private final ObjectMapper mapper;
  private final PushDataBytesDecoder pushDataBytes;

  /** A codec with the given limits. */
  public SemtechUdpCodec(SemtechUdpLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    // The direct tree reader finds duplicate names itself: its parsers come from a factory of
    // their own, which the mapper (its duplicate detection enabled on its factory) leaves alone,
    // so that no parser is made with a duplicate detector only to drop it.
    this.factory = newFactory(limits);
    this.mapper = JsonMapper.builder(newFactory(limits))
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
    this.pushDataBytes = new PushDataBytesDecoder(limits);
  }

  private static JsonFactory newFactory(SemtechUdpLimits limits) {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxJsonNesting())
            .maxStringLength(limits.maxDatagramBytes())
            .maxNumberLength(48)
            .build())
        .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
        // Correctly rounded like Double.parseDouble (the same doubles), faster on freq, rssi...
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .build();
  }

  /** A codec with {@link SemtechUdpLimits#DEFAULT}. */
  public SemtechUdpCodec() {
    this(SemtechUdpLimits.DEFAULT);
  }

  /** The limits this codec enforces. */
  public SemtechUdpLimits limits() {
    return limits;
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding

  /** Decodes a whole datagram. */
  public SemtechPacket decode(byte[] datagram) {
    Objects.requireNonNull(datagram, "datagram");
    return decode(datagram, 0, datagram.length);
  }

  /** Decodes {@code length} bytes of {@code buf} from {@code offset}. */
  public SemtechPacket decode(byte[] buf, int offset, int length) {
    if (length > limits.maxDatagramBytes()) {
      throw new SemtechUdpException(DropReason.OVERSIZED, "datagram",
          "at most " + limits.maxDatagramBytes() + " bytes", length + " bytes");
    }
    if (length < 4) {
      throw new SemtechUdpException(DropReason.TRUNCATED, "header", "at least 4 bytes",
          length + " bytes");
    }
    int version = buf[offset] & 0xFF;
    if (version != 1 && version != 2) {
      throw new SemtechUdpException(DropReason.UNSUPPORTED_VERSION, "version", "1 or 2",
          Integer.toString(version));
    }
    int token = ((buf[offset + 1] & 0xFF) << 8) | (buf[offset + 2] & 0xFF);
    int typeId = buf[offset + 3] & 0xFF;
    PacketType type = PacketType.of(typeId).orElseThrow(() -> new SemtechUdpException(
        DropReason.UNKNOWN_TYPE, "type", "0..5", Integer.toString(typeId)));
    if (length < type.headerLength()) {
      throw new SemtechUdpException(DropReason.TRUNCATED, type.name() + " header",
          "at least " + type.headerLength() + " bytes", length + " bytes");
    }
    Eui64 eui = type.carriesEui() ? readEui(buf, offset + 4) : null;
    int bodyOff = offset + type.headerLength();
    int bodyLen = trimmedBodyLength(buf, bodyOff, offset + length - bodyOff);
    return switch (type) {
      case PUSH_DATA -> {
        // Straight from the bytes for the plain JSON forwarders send; anything else (escapes,
        // exponents, long numbers, nested unknown values, errors) by the tree decoder, the
        // reference: the same values, and its errors.
        PushData direct = pushDataBytes.decode(version, token, eui, buf, bodyOff, bodyLen);
        yield direct != null ? direct
            : decodePushData(version, token, eui, parseObject(buf, bodyOff, bodyLen));
      }
      case PUSH_ACK -> new PushAck(version, token);
      case PULL_DATA -> new PullData(version, token, eui);
      case PULL_ACK -> new PullAck(version, token);
      case PULL_RESP -> new PullResp(version, token,
          decodeTxpk(JsonObjectReader.of(parseObject(buf, bodyOff, bodyLen).get("txpk"), "txpk")));
      case TX_ACK -> decodeTxAck(version, token, eui, buf, bodyOff, bodyLen);
    };
  }

  private static Eui64 readEui(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return new Eui64(v);
  }

  /** Some forwarders append a NUL terminator or whitespace after the JSON; ignore them. */
  private static int trimmedBodyLength(byte[] b, int off, int len) {
    while (len > 0) {
      byte last = b[off + len - 1];
      if (last != 0 && last != ' ' && last != '\n' && last != '\r' && last != '\t') {
        break;
      }
      len--;
    }
    return len;
  }

  private JsonNode parseObject(byte[] b, int off, int len) {
    if (len == 0) {
      throw new SemtechUdpException(DropReason.INVALID_JSON, "json", "a JSON object", "no body");
    }
    JsonNode root = readObjectTree(b, off, len);
    if (root != null) {
      return root;
    }
    // Malformed, or a shape the direct reading leaves alone: the mapper decides, with its error.
    try {
      root = mapper.readTree(b, off, len);
    } catch (IOException e) {
      throw new SemtechUdpException(DropReason.INVALID_JSON, "json", "a well-formed JSON object",
          quote(firstLine(e.getMessage())));
    }
    if (root == null || !root.isObject()) {
      throw new SemtechUdpException(DropReason.INVALID_JSON, "json", "a JSON object",
          root == null ? "nothing" : root.getNodeType().toString());
    }
    return root;
  }

  /**
   * The tree {@code mapper.readTree} builds for a well-formed JSON object without duplicate names,
   * read directly from the parser (no databind context, and duplicate names found by a look-up in
   * the object being built instead of a per-object name set); null for anything else (malformed
   * input, duplicates, trailing tokens, a root that is not an object), which the caller hands to
   * the mapper for its verdict.
   */
  ObjectNode readObjectTree(byte[] b, int off, int len) {
    try (JsonParser p = factory.createParser(b, off, len)) {
      p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      ObjectNode root = readObject(p);
      return root != null && p.nextToken() == null ? root : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The object whose START_OBJECT was just read, or null (see {@link #readObjectTree}). */
  private static ObjectNode readObject(JsonParser p) throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    String name;
    while ((name = p.nextFieldName()) != null) {
      if (o.get(name) != null) {
        return null;
      }
      JsonNode value = readValue(p, p.nextToken());
      if (value == null) {
        return null;
      }
      o.set(name, value);
    }
    return p.currentToken() == JsonToken.END_OBJECT ? o : null;
  }

  /** The value starting at {@code t}, as the mapper's tree deserializer reads it, or null. */
  static JsonNode readValue(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      return null;
    }
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (t) {
      case START_OBJECT:
        return readObject(p);
      case START_ARRAY: {
        ArrayNode a = nodes.arrayNode();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          JsonNode element = readValue(p, e);
          if (element == null) {
            return null;
          }
          a.add(element);
        }
        return a;
      }
      case VALUE_STRING:
        return nodes.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> nodes.numberNode(p.getIntValue());
          case LONG -> nodes.numberNode(p.getLongValue());
          default -> nodes.numberNode(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        JsonParser.NumberTypeFP fp = p.getNumberTypeFP();
        return fp == JsonParser.NumberTypeFP.BIG_DECIMAL || fp == JsonParser.NumberTypeFP.FLOAT32
            ? null : nodes.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return nodes.booleanNode(true);
      case VALUE_FALSE:
        return nodes.booleanNode(false);
      case VALUE_NULL:
        return nodes.nullNode();
      default:
        return null;
    }
  }

  /** The PUSH_DATA body read by the bytes reader alone, or null where it defers (tests). */
  PushData decodePushDataBytes(int version, int token, Eui64 eui, byte[] b, int off, int len) {
    return pushDataBytes.decode(version, token, eui, b, off, trimmedBodyLength(b, off, len));
  }

  /** The PUSH_DATA body decoded by the tree decoder alone, the reference (tests). */
  PushData decodePushDataTree(int version, int token, Eui64 eui, byte[] b, int off, int len) {
    return decodePushData(version, token, eui, parseObject(b, off, trimmedBodyLength(b, off, len)));
  }

  private PushData decodePushData(int version, int token, Eui64 eui, JsonNode root) {
    JsonNode rxpkNode = root.get("rxpk");
    List<Rxpk> rxpk = new ArrayList<>();
    if (rxpkNode != null && !rxpkNode.isNull()) {
      if (!rxpkNode.isArray()) {
        throw new SemtechUdpException(DropReason.INVALID_FIELD, "rxpk", "an array",
            rxpkNode.getNodeType().toString());
      }
      if (rxpkNode.size() > limits.maxRxpkPerPushData()) {
        throw new SemtechUdpException(DropReason.INVALID_FIELD, "rxpk",
            "at most " + limits.maxRxpkPerPushData() + " elements", rxpkNode.size() + " elements");
      }
      for (int i = 0; i < rxpkNode.size(); i++) {
        rxpk.add(decodeRxpk(JsonObjectReader.of(rxpkNode.get(i), "rxpk[" + i + "]")));
      }
    }
    JsonNode statNode = root.get("stat");
    Optional<Stat> stat = statNode == null || statNode.isNull() ? Optional.empty()
        : Optional.of(decodeStat(JsonObjectReader.of(statNode, "stat")));
    return new PushData(version, token, eui, rxpk, stat);
  }

  private Rxpk decodeRxpk(JsonObjectReader r) {
    String moduName = r.reqString("modu", 16);
    Modulation modu = Modulation.ofWire(moduName);
    if (modu == null) {
      throw r.invalid("modu", "LORA, FSK or LR-FHSS", r.raw("modu"));
    }
    Bytes data = r.optBase64("data", MAX_DATA_BYTES);
    if (data == null) {
      throw r.invalid("data", "base64 PHYPayload", null);
    }
    Integer size = r.optInt("size", 0, MAX_DATA_BYTES);
    if (size != null && size != data.length()) {
      throw new SemtechUdpException(DropReason.INVALID_FIELD, r.field("size"),
          "the decoded data length " + data.length(), size.toString());
    }
    List<Rsig> rsig = new ArrayList<>();
    JsonNode rsigNode = r.raw("rsig");
    if (rsigNode != null) {
      if (!rsigNode.isArray() || rsigNode.size() > limits.maxRsigPerRxpk()) {
        throw r.invalid("rsig", "an array of at most " + limits.maxRsigPerRxpk() + " objects",
            rsigNode);
      }
      for (int i = 0; i < rsigNode.size(); i++) {
        rsig.add(decodeRsig(JsonObjectReader.of(rsigNode.get(i), r.field("rsig") + "[" + i + "]")));
      }
    }
    return withPath(r.path(), () -> new Rxpk(
        r.optInstant("time"),
        r.optLong("tmms", 0, Long.MAX_VALUE / 2),
        r.reqLong("tmst", 0, 0xFFFF_FFFFL),
        r.optLong("ftime", 0, 999_999_999),
        frequency(r),
        r.optInt("chan", 0, 255),
        r.optInt("rfch", 0, 255),
        r.optInt("brd", 0, 255),
        r.optInt("stat", -1, 1),
        modu,
        datr(r, modu),
        r.optString("codr", 8),
        r.optDouble("rssi", -300, 100),
        r.optDouble("rssis", -300, 100),
        r.optDouble("lsnr", -100, 100),
        r.optLong("foff", -1_000_000, 1_000_000),
        r.optInt("mid", 0, 255),
        r.optInt("aesk", 0, 255),
        r.optInt("hpw", 0, 255),
        rsig,
        data));
  }

  private static Rsig decodeRsig(JsonObjectReader r) {
    return withPath(r.path(), () -> new Rsig(
        (int) r.reqLong("ant", 0, 255),
        r.optInt("chan", 0, 255),
        r.optDouble("rssic", -300, 100),
        r.optDouble("rssis", -300, 100),
        r.optDouble("rssisd", 0, 1000),
        r.optDouble("lsnr", -100, 100),
        r.optBase64("etime", 64),
        r.optLong("ftime", 0, 999_999_999),
        r.optLong("foff", -1_000_000, 1_000_000)));
  }

  private static Stat decodeStat(JsonObjectReader r) {
    long maxCount = 0xFFFF_FFFFL;
    return withPath(r.path(), () -> new Stat(
        r.optString("time", 64),
        r.optDouble("lati", -90, 90),
        r.optDouble("long", -180, 180),
        r.optInt("alti", -20_000, 100_000),
        r.optLong("rxnb", 0, maxCount),
        r.optLong("rxok", 0, maxCount),
        r.optLong("rxfw", 0, maxCount),
        r.optDouble("ackr", 0, 100),
        r.optLong("dwnb", 0, maxCount),
        r.optLong("txnb", 0, maxCount),
        r.optDouble("temp", -273.15, 500),
        r.optString("boot", 64),
        r.optLong("lmok", 0, maxCount),
        r.optLong("lmst", 0, maxCount),
        r.optLong("lmnw", 0, maxCount),
        r.optLong("lpps", 0, maxCount),
        r.optLong("fpga", 0, maxCount),
        r.optLong("dsp", 0, maxCount),
        r.optString("hal", 64)));
  }

  private static Txpk decodeTxpk(JsonObjectReader r) {
    String moduName = r.reqString("modu", 16);
    Modulation modu = Modulation.ofWire(moduName);
    if (modu == null || modu == Modulation.LR_FHSS) {
      throw r.invalid("modu", "LORA or FSK", r.raw("modu"));
    }
    Bytes data = r.optBase64("data", MAX_DATA_BYTES);
    if (data == null) {
      throw r.invalid("data", "base64 PHYPayload", null);
    }
    Integer size = r.optInt("size", 0, MAX_DATA_BYTES);
    if (size != null && size != data.length()) {
      throw new SemtechUdpException(DropReason.INVALID_FIELD, r.field("size"),
          "the decoded data length " + data.length(), size.toString());
    }
    return withPath(r.path(), () -> new Txpk(
        r.optBool("imme"),
        r.optLong("tmst", 0, 0xFFFF_FFFFL),
        r.optLong("tmms", 0, Long.MAX_VALUE / 2),
        frequency(r),
        (int) r.reqLong("rfch", 0, 255),
        r.optInt("powe", -30, 40),
        modu,
        datr(r, modu),
        r.optString("codr", 8),
        r.optInt("fdev", 0, 200_000),
        r.optBool("ipol"),
        r.optInt("prea", 0, 65_535),
        data,
        r.optBool("ncrc"),
        r.optInt("brd", 0, 255),
        r.optInt("ant", 0, 255)));
  }

  private TxAck decodeTxAck(int version, int token, Eui64 eui, byte[] b, int off, int len) {
    if (len == 0) {
      return new TxAck(version, token, eui, Optional.empty());
    }
    JsonNode ackNode = parseObject(b, off, len).get("txpk_ack");
    if (ackNode == null || ackNode.isNull()) {
      return new TxAck(version, token, eui, Optional.empty());
    }
    JsonObjectReader r = JsonObjectReader.of(ackNode, "txpk_ack");
    TxpkAck ack = withPath(r.path(),
        () -> new TxpkAck(r.optString("error", 64), r.optString("warn", 64),
            r.optInt("value", -100, 100)));
    return new TxAck(version, token, eui, Optional.of(ack));
  }

  private static long frequency(JsonObjectReader r) {
    double mhz = r.reqDouble("freq", MIN_FREQUENCY_HZ / 1e6, MAX_FREQUENCY_HZ / 1e6);
    return Math.round(mhz * 1e6);
  }

  private static Datr datr(JsonObjectReader r, Modulation modu) {
    JsonNode n = r.raw("datr");
    if (n == null) {
      throw r.invalid("datr", "a data rate", null);
    }
    try {
      return switch (modu) {
        case LORA -> {
          if (!n.isTextual() || n.textValue().length() > 16) {
            throw r.invalid("datr", "a string SF<n>BW<kHz>", n);
          }
          yield Datr.LoRa.parse(n.textValue());
        }
        case FSK -> {
          if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw r.invalid("datr", "an FSK bit rate number", n);
          }
          yield new Datr.Fsk(n.intValue());
        }
        case LR_FHSS -> {
          if (!n.isTextual() || n.textValue().length() > 16) {
            throw r.invalid("datr", "a string M0CW<kHz>", n);
          }
          yield new Datr.LrFhss(n.textValue());
        }
      };
    } catch (SemtechUdpException e) {
      throw prefixed(r.path(), e);
    }
  }

  private interface ValueSupplier<T> {
    T get();
  }

  /** Re-labels a value-type validation error with the JSON path (e.g. rxpk[2].lsnr). */
  private static <T> T withPath(String path, ValueSupplier<T> s) {
    try {
      return s.get();
    } catch (SemtechUdpException e) {
      throw prefixed(path, e);
    }
  }

  private static SemtechUdpException prefixed(String path, SemtechUdpException e) {
    String field = e.field();
    if (field == null || field.startsWith(path)) {
      return e;
    }
    int dot = field.indexOf('.');
    String rel = dot < 0 ? field : field.substring(dot + 1);
    return new SemtechUdpException(e.reason(), path + "." + rel, e.expected(), e.found());
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  /**
   * Encodes a packet. For a version-1 PULL_RESP the caller passes token 0 (the bytes are unused
   * in v1).
   */
  public byte[] encode(SemtechPacket packet) {
    Objects.requireNonNull(packet, "packet");
    PacketType type = packet.type();
    Eui64 eui = null;
    if (packet instanceof PushData p) {
      eui = p.gatewayEui();
    } else if (packet instanceof PullData p) {
      eui = p.gatewayEui();
    } else if (packet instanceof TxAck t) {
      eui = t.gatewayEui();
    }
    JsonBody body = null;
    if (packet instanceof PushData p) {
      body = g -> writePushData(g, p);
    } else if (packet instanceof PullResp p) {
      body = g -> {
        g.writeStartObject();
        g.writeFieldName("txpk");
        writeTxpk(g, p.txpk());
        g.writeEndObject();
      };
    } else if (packet instanceof TxAck t && t.ack().isPresent()) {
      TxpkAck ack = t.ack().get();
      body = g -> writeTxAck(g, ack);
    }
    byte[] header = new byte[type.headerLength()];
    header[0] = (byte) packet.version();
    header[1] = (byte) (packet.token() >>> 8);
    header[2] = (byte) packet.token();
    header[3] = (byte) type.id();
    if (eui != null) {
      long v = eui.value();
      for (int i = 11; i >= 4; i--) {
        header[i] = (byte) v;
        v >>>= 8;
      }
    }
    if (body == null) {
      return header;
    }
    // Header and JSON written into one buffer, the JSON streamed (no tree of nodes).
    try (ByteArrayBuilder out = new ByteArrayBuilder(256)) {
      out.write(header);
      try (JsonGenerator g = mapper.createGenerator(out, JsonEncoding.UTF8)) {
        body.write(g);
      }
      return out.toByteArray();
    } catch (IOException e) {
      // Writing plain values to memory cannot fail.
      throw new IllegalStateException("JSON serialisation failed", e);
    }
  }

  /** Writes one JSON body. */
  private interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }

  private static void writePushData(JsonGenerator g, PushData p) throws IOException {
    g.writeStartObject();
    if (!p.rxpk().isEmpty()) {
      g.writeArrayFieldStart("rxpk");
      for (Rxpk r : p.rxpk()) {
        writeRxpk(g, r);
      }
      g.writeEndArray();
    }
    if (p.stat().isPresent()) {
      g.writeFieldName("stat");
      writeStat(g, p.stat().get());
    }
    g.writeEndObject();
  }

  private static void writeRxpk(JsonGenerator g, Rxpk r) throws IOException {
    g.writeStartObject();
    if (r.time() != null) {
      g.writeStringField("time", r.time().toString());
    }
    writeIf(g, "tmms", r.tmms());
    g.writeNumberField("tmst", r.tmst());
    writeIf(g, "ftime", r.ftime());
    g.writeNumberField("freq", megahertz(r.frequencyHz()));
    writeIf(g, "chan", r.chan());
    writeIf(g, "rfch", r.rfch());
    writeIf(g, "brd", r.brd());
    writeIf(g, "stat", r.stat());
    g.writeStringField("modu", r.modulation().wire());
    writeDatr(g, r.datr());
    writeIf(g, "codr", r.codr());
    writeIf(g, "rssi", r.rssi());
    writeIf(g, "rssis", r.rssis());
    writeIf(g, "lsnr", r.lsnr());
    writeIf(g, "foff", r.foff());
    writeIf(g, "mid", r.mid());
    writeIf(g, "aesk", r.aesk());
    writeIf(g, "hpw", r.hpw());
    if (!r.rsig().isEmpty()) {
      g.writeArrayFieldStart("rsig");
      for (Rsig s : r.rsig()) {
        g.writeStartObject();
        g.writeNumberField("ant", s.ant());
        writeIf(g, "chan", s.chan());
        writeIf(g, "rssic", s.rssic());
        writeIf(g, "rssis", s.rssis());
        writeIf(g, "rssisd", s.rssisd());
        writeIf(g, "lsnr", s.lsnr());
        if (s.etime() != null) {
          g.writeStringField("etime", Base64.getEncoder().encodeToString(s.etime().toArray()));
        }
        writeIf(g, "ftime", s.ftime());
        writeIf(g, "foff", s.foff());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeNumberField("size", r.data().length());
    g.writeStringField("data", Base64.getEncoder().encodeToString(r.data().toArray()));
    g.writeEndObject();
  }

  private static void writeStat(JsonGenerator g, Stat s) throws IOException {
    g.writeStartObject();
    writeIf(g, "time", s.time());
    writeIf(g, "lati", s.lati());
    writeIf(g, "long", s.longi());
    writeIf(g, "alti", s.alti());
    writeIf(g, "rxnb", s.rxnb());
    writeIf(g, "rxok", s.rxok());
    writeIf(g, "rxfw", s.rxfw());
    writeIf(g, "ackr", s.ackr());
    writeIf(g, "dwnb", s.dwnb());
    writeIf(g, "txnb", s.txnb());
    writeIf(g, "temp", s.temp());
    writeIf(g, "boot", s.boot());
    writeIf(g, "lmok", s.lmok());
    writeIf(g, "lmst", s.lmst());
    writeIf(g, "lmnw", s.lmnw());
    writeIf(g, "lpps", s.lpps());
    writeIf(g, "fpga", s.fpga());
    writeIf(g, "dsp", s.dsp());
    writeIf(g, "hal", s.hal());
    g.writeEndObject();
  }

  private static void writeTxpk(JsonGenerator g, Txpk t) throws IOException {
    g.writeStartObject();
    if (t.imme()) {
      g.writeBooleanField("imme", true);
    }
    writeIf(g, "tmst", t.tmst());
    writeIf(g, "tmms", t.tmms());
    g.writeNumberField("freq", megahertz(t.frequencyHz()));
    g.writeNumberField("rfch", t.rfch());
    writeIf(g, "powe", t.powe());
    g.writeStringField("modu", t.modulation().wire());
    writeDatr(g, t.datr());
    writeIf(g, "codr", t.codr());
    writeIf(g, "fdev", t.fdev());
    g.writeBooleanField("ipol", t.ipol());
    writeIf(g, "prea", t.prea());
    g.writeNumberField("size", t.data().length());
    g.writeStringField("data", Base64.getEncoder().encodeToString(t.data().toArray()));
    g.writeBooleanField("ncrc", t.ncrc());
    writeIf(g, "brd", t.brd());
    writeIf(g, "ant", t.ant());
    g.writeEndObject();
  }

  private static void writeTxAck(JsonGenerator g, TxpkAck a) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("txpk_ack");
    writeIf(g, "error", a.error());
    writeIf(g, "warn", a.warn());
    writeIf(g, "value", a.value());
    g.writeEndObject();
    g.writeEndObject();
  }

  /** Hz as exact decimal MHz, e.g. 868100000 → 868.1. */
  static BigDecimal megahertz(long hz) {
    BigDecimal mhz = BigDecimal.valueOf(hz, 6).stripTrailingZeros();
    return mhz.scale() < 0 ? mhz.setScale(0) : mhz;
  }

  private static void writeDatr(JsonGenerator g, Datr d) throws IOException {
    Object w = d.wire();
    if (w instanceof Integer i) {
      g.writeNumberField("datr", i);
    } else {
      g.writeStringField("datr", (String) w);
    }
  }

  private static void writeIf(JsonGenerator g, String name, String v) throws IOException {
    if (v != null) {
      g.writeStringField(name, v);
    }
  }

  private static void writeIf(JsonGenerator g, String name, Integer v) throws IOException {
    if (v != null) {
      g.writeNumberField(name, v);
    }
  }

  private static void writeIf(JsonGenerator g, String name, Long v) throws IOException {
    if (v != null) {
      g.writeNumberField(name, v);
    }
  }

  /** A double; a whole number below 10^15 is written without a fraction (e.g. rssi -35). */
  private static void writeIf(JsonGenerator g, String name, Double v) throws IOException {
    if (v == null) {
      return;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      g.writeNumberField(name, v.longValue());
    } else {
      g.writeNumberField(name, v);
    }
  }

  // ---------------------------------------------------------------------------------------------

  static void checkHeader(int version, int token) {
    if (version != 1 && version != 2) {
      throw new SemtechUdpException(DropReason.UNSUPPORTED_VERSION, "version", "1 or 2",
          Integer.toString(version));
    }
    if (token < 0 || token > 0xFFFF) {
      throw new SemtechUdpException(DropReason.INVALID_FIELD, "token", "0..65535",
          Integer.toString(token));
    }
  }

  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return "\"" + cut + "\"";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
