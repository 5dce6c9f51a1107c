package dev.loralab.simulator.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Encodes and decodes Semtech UDP packet-forwarder datagrams (PROTOCOL.TXT, protocol versions 1
 * and 2), both directions, so that one codec serves the simulated gateway and test servers.
 * Pure: no state besides the configured size limit, no logging. Malformed input raises
 * {@link SemtechUdpException}; nothing else escapes.
 */
public final class SemtechUdpCodec {

  /** Type identifiers (PROTOCOL.TXT §3–5). */
  public static final int PUSH_DATA = 0x00;
  /** PUSH_ACK. */
  public static final int PUSH_ACK = 0x01;
  /** PULL_DATA. */
  public static final int PULL_DATA = 0x02;
  /** PULL_RESP. */
  public static final int PULL_RESP = 0x03;
  /** PULL_ACK. */
  public static final int PULL_ACK = 0x04;
  /** TX_ACK. */
  public static final int TX_ACK = 0x05;

  /** Largest UDP payload over IPv4. */
  public static final int DEFAULT_MAX_DATAGRAM_BYTES = 65_507;

  private static final int HEADER = 4;
  private static final int HEADER_WITH_EUI = 12;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter RX_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'GMT'").withZone(ZoneOffset.UTC);

  private final int maxDatagramBytes;

  /**
   * @param maxDatagramBytes datagrams longer than this are rejected before parsing
   */
  public SemtechUdpCodec(int maxDatagramBytes) {
    if (maxDatagramBytes < HEADER_WITH_EUI) {
      throw new IllegalArgumentException("maxDatagramBytes: at least 12 expected, found " + maxDatagramBytes);
    }
    this.maxDatagramBytes = maxDatagramBytes;
  }

  /** A codec with the IPv4 UDP limit. */
  public SemtechUdpCodec() {
    this(DEFAULT_MAX_DATAGRAM_BYTES);
  }

  static void checkHeader(int version, int token) {
    if (version != 1 && version != 2) {
      throw new SemtechUdpException("version", "1 or 2", Integer.toString(version));
    }
    if (token < 0 || token > 0xFFFF) {
      throw new SemtechUdpException("token", "0..65535", Integer.toString(token));
    }
  }

  // ---------------------------------------------------------------- encoding

  /** Encodes any packet. */
  public byte[] encode(SemtechPacket p) {
    byte[] out;
    if (p instanceof SemtechPacket.PushData d) {
      ObjectNode root = JSON.createObjectNode();
      if (!d.rxpk().isEmpty()) {
        ArrayNode arr = root.putArray("rxpk");
        for (RxPacket rx : d.rxpk()) {
          arr.add(rxpkJson(rx));
        }
      }
      d.stat().ifPresent(s -> root.set("stat", statJson(s)));
      out = withEui(p, d.gatewayEui(), json(root));
    } else if (p instanceof SemtechPacket.PullData d) {
      out = withEui(p, d.gatewayEui(), new byte[0]);
    } else if (p instanceof SemtechPacket.TxAck a) {
      byte[] body = new byte[0];
      if (a.error() != TxAckError.NONE) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("txpk_ack").put("error", a.error().name());
        body = json(root);
      }
      out = withEui(p, a.gatewayEui(), body);
    } else if (p instanceof SemtechPacket.PullResp r) {
      ObjectNode root = JSON.createObjectNode();
      root.set("txpk", txpkJson(r.txpk()));
      byte[] body = json(root);
      out = new byte[HEADER + body.length];
      header(out, p);
      System.arraycopy(body, 0, out, HEADER, body.length);
    } else {
      out = new byte[HEADER];
      header(out, p);
    }
    if (out.length > maxDatagramBytes) {
      throw new SemtechUdpException("datagram", "at most " + maxDatagramBytes + " bytes", out.length + " bytes");
    }
    return out;
  }

  private static void header(byte[] out, SemtechPacket p) {
    out[0] = (byte) p.version();
    out[1] = (byte) (p.token() >>> 8);
    out[2] = (byte) p.token();
    out[3] = (byte) p.type();
  }

  private static byte[] withEui(SemtechPacket p, Eui64 eui, byte[] body) {
    byte[] out = new byte[HEADER_WITH_EUI + body.length];
    header(out, p);
    System.arraycopy(eui.toBigEndianBytes(), 0, out, HEADER, Eui64.SIZE);
    System.arraycopy(body, 0, out, HEADER_WITH_EUI, body.length);
    return out;
  }

  private static ObjectNode rxpkJson(RxPacket rx) {
    ObjectNode o = JSON.createObjectNode();
    rx.time().ifPresent(t -> o.put("time", RX_TIME.format(t)));
    o.put("tmst", rx.tmst());
    o.put("chan", rx.chan());
    o.put("rfch", rx.rfch());
    o.put("freq", mhz(rx.frequencyHz()));
    o.put("stat", rx.crcStatus());
    o.put("modu", "LORA");
    o.put("datr", rx.dataRate().datr());
    o.put("codr", rx.codingRate());
    o.put("lsnr", BigDecimal.valueOf(Math.round(rx.lsnr() * 10), 1));
    o.put("rssi", rx.rssi());
    o.put("size", rx.data().length());
    o.put("data", Base64.getEncoder().encodeToString(rx.data().toArray()));
    return o;
  }

  private static ObjectNode statJson(GatewayStat s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("time", STAT_TIME.format(s.time()));
    o.put("lati", BigDecimal.valueOf(Math.round(s.latitude() * 1e5), 5));
    o.put("long", BigDecimal.valueOf(Math.round(s.longitude() * 1e5), 5));
    o.put("alti", s.altitude());
    o.put("rxnb", s.rxnb());
    o.put("rxok", s.rxok());
    o.put("rxfw", s.rxfw());
    o.put("ackr", BigDecimal.valueOf(Math.round(s.ackr() * 10), 1));
    o.put("dwnb", s.dwnb());
    o.put("txnb", s.txnb());
    return o;
  }

  private static ObjectNode txpkJson(TxPacket tx) {
    ObjectNode o = JSON.createObjectNode();
    if (tx.immediate()) {
      o.put("imme", true);
    }
    tx.tmst().ifPresent(t -> o.put("tmst", t));
    o.put("freq", mhz(tx.frequencyHz()));
    o.put("rfch", tx.rfch());
    o.put("powe", tx.powerDbm());
    o.put("modu", "LORA");
    o.put("datr", tx.dataRate().datr());
    o.put("codr", tx.codingRate());
    o.put("ipol", tx.invertPolarity());
    o.put("size", tx.data().length());
    o.put("data", Base64.getEncoder().encodeToString(tx.data().toArray()));
    if (tx.noCrc()) {
      o.put("ncrc", true);
    }
    return o;
  }

  private static BigDecimal mhz(long hz) {
    return BigDecimal.valueOf(hz, 6);
  }

  private static byte[] json(ObjectNode root) {
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      // a tree of numbers and strings always serializes
      throw new SemtechUdpException("json", "serializable", e.getOriginalMessage());
    }
  }

  // ---------------------------------------------------------------- decoding

  /** Decodes a datagram of any type. */
  public SemtechPacket decode(byte[] datagram) {
    if (datagram == null) {
      throw new SemtechUdpException("datagram", "bytes", "null");
    }
    if (datagram.length > maxDatagramBytes) {
      throw new SemtechUdpException("datagram", "at most " + maxDatagramBytes + " bytes", datagram.length + " bytes");
    }
    if (datagram.length < HEADER) {
      throw new SemtechUdpException("datagram", "at least 4 bytes", datagram.length + " bytes");
    }
    int version = datagram[0] & 0xFF;
    if (version != 1 && version != 2) {
      throw new SemtechUdpException("version", "1 or 2", Integer.toString(version));
    }
    int token = ((datagram[1] & 0xFF) << 8) | (datagram[2] & 0xFF);
    int type = datagram[3] & 0xFF;
    switch (type) {
      case PUSH_ACK, PULL_ACK -> {
        if (datagram.length != HEADER) {
          throw new SemtechUdpException(type == PUSH_ACK ? "PUSH_ACK" : "PULL_ACK", "4 bytes", datagram.length + " bytes");
        }
        return type == PUSH_ACK ? new SemtechPacket.PushAck(version, token) : new SemtechPacket.PullAck(version, token);
      }
      case PULL_RESP -> {
        JsonNode root = parseJson(datagram, HEADER, "PULL_RESP");
        JsonNode txpk = root.get("txpk");
        if (txpk == null || !txpk.isObject()) {
          throw new SemtechUdpException("PULL_RESP.txpk", "an object", describe(txpk));
        }
        return new SemtechPacket.PullResp(version, token, txpk(txpk));
      }
      case PUSH_DATA, PULL_DATA, TX_ACK -> {
        if (datagram.length < HEADER_WITH_EUI) {
          throw new SemtechUdpException("gateway EUI", "8 bytes at offset 4", (datagram.length - HEADER) + " bytes");
        }
        byte[] euiBytes = new byte[Eui64.SIZE];
        System.arraycopy(datagram, HEADER, euiBytes, 0, Eui64.SIZE);
        Eui64 eui = Eui64.ofBigEndian(euiBytes);
        if (type == PULL_DATA) {
          if (datagram.length != HEADER_WITH_EUI) {
            throw new SemtechUdpException("PULL_DATA", "12 bytes", datagram.length + " bytes");
          }
          return new SemtechPacket.PullData(version, token, eui);
        }
        if (type == TX_ACK) {
          return new SemtechPacket.TxAck(version, token, eui, txAckError(datagram));
        }
        return pushData(version, token, eui, parseJson(datagram, HEADER_WITH_EUI, "PUSH_DATA"));
      }
      default -> throw new SemtechUdpException("type", "0..5", Integer.toString(type));
    }
  }

  private static TxAckError txAckError(byte[] datagram) {
    if (datagram.length == HEADER_WITH_EUI) {
      return TxAckError.NONE;
    }
    // some forwarders terminate the JSON with NUL bytes
    int end = datagram.length;
    while (end > HEADER_WITH_EUI && datagram[end - 1] == 0) {
      end--;
    }
    if (end == HEADER_WITH_EUI) {
      return TxAckError.NONE;
    }
    JsonNode root = parseJson(datagram, HEADER_WITH_EUI, end, "TX_ACK");
    JsonNode ack = root.get("txpk_ack");
    if (ack == null) {
      return TxAckError.NONE;
    }
    if (!ack.isObject()) {
      throw new SemtechUdpException("TX_ACK.txpk_ack", "an object", describe(ack));
    }
    JsonNode error = ack.get("error");
    if (error == null || error.isNull() || (error.isTextual() && error.asText().isEmpty())) {
      return TxAckError.NONE;
    }
    if (!error.isTextual()) {
      throw new SemtechUdpException("txpk_ack.error", "a string", describe(error));
    }
    try {
      return TxAckError.valueOf(error.asText());
    } catch (IllegalArgumentException e) {
      throw new SemtechUdpException("txpk_ack.error", "one of " + java.util.Arrays.toString(TxAckError.values()),
          "\"" + error.asText() + "\"");
    }
  }

  private static SemtechPacket.PushData pushData(int version, int token, Eui64 eui, JsonNode root) {
    List<RxPacket> rxpk = new ArrayList<>();
    JsonNode arr = root.get("rxpk");
    if (arr != null) {
      if (!arr.isArray()) {
        throw new SemtechUdpException("rxpk", "an array", describe(arr));
      }
      for (int i = 0; i < arr.size(); i++) {
        JsonNode rx = arr.get(i);
        if (!rx.isObject()) {
          throw new SemtechUdpException("rxpk[" + i + "]", "an object", describe(rx));
        }
        rxpk.add(rxpk(rx, "rxpk[" + i + "]."));
      }
    }
    Optional<GatewayStat> stat = Optional.empty();
    JsonNode st = root.get("stat");
    if (st != null) {
      if (!st.isObject()) {
        throw new SemtechUdpException("stat", "an object", describe(st));
      }
      stat = Optional.of(stat(st));
    }
    return new SemtechPacket.PushData(version, token, eui, rxpk, stat);
  }

  private static RxPacket rxpk(JsonNode o, String p) {
    Optional<Instant> time = Optional.empty();
    JsonNode t = o.get("time");
    if (t != null) {
      String s = text(o, p, "time");
      try {
        time = Optional.of(Instant.parse(s));
      } catch (DateTimeParseException e) {
        throw new SemtechUdpException(p + "time", "ISO-8601 UTC time", "\"" + s + "\"");
      }
    }
    requireLora(o, p);
    Bytes data = data(o, p);
    return new RxPacket(time, uint32(o, p, "tmst"), hz(o, p), (int) integer(o, p, "chan", 0, 255, 0L),
        (int) integer(o, p, "rfch", 0, 255, 0L), (int) integer(o, p, "stat", -1, 1, 1L),
        LoRaDataRate.parse(p + "datr", text(o, p, "datr")), text(o, p, "codr"),
        (int) integer(o, p, "rssi", -300, 100, null), number(o, p, "lsnr"), data);
  }

  private static TxPacket txpk(JsonNode o) {
    String p = "txpk.";
    boolean imme = o.path("imme").asBoolean(false);
    OptionalLong tmst = o.has("tmst") ? OptionalLong.of(uint32(o, p, "tmst")) : OptionalLong.empty();
    if (!imme && tmst.isEmpty()) {
      throw new SemtechUdpException(p + "tmst", "tmst or imme (tmms is not supported)",
          o.has("tmms") ? "tmms" : "neither");
    }
    requireLora(o, p);
    Bytes data = data(o, p);
    return new TxPacket(imme, tmst, hz(o, p), (int) integer(o, p, "rfch", 0, 255, 0L),
        (int) integer(o, p, "powe", -30, 40, 14L), LoRaDataRate.parse(p + "datr", text(o, p, "datr")),
        text(o, p, "codr"), o.path("ipol").asBoolean(false), o.path("ncrc").asBoolean(false), data);
  }

  private static GatewayStat stat(JsonNode o) {
    String p = "stat.";
    String s = text(o, p, "time");
    Instant time;
    try {
      time = Instant.from(STAT_TIME.parse(s));
    } catch (DateTimeParseException e) {
      throw new SemtechUdpException(p + "time", "\"yyyy-MM-dd HH:mm:ss GMT\"", "\"" + s + "\"");
    }
    return new GatewayStat(time, optNumber(o, p, "lati"), optNumber(o, p, "long"),
        (int) integer(o, p, "alti", -10_000, 100_000, 0L), integer(o, p, "rxnb", 0, Long.MAX_VALUE, 0L),
        integer(o, p, "rxok", 0, Long.MAX_VALUE, 0L), integer(o, p, "rxfw", 0, Long.MAX_VALUE, 0L),
        optNumber(o, p, "ackr"), integer(o, p, "dwnb", 0, Long.MAX_VALUE, 0L),
        integer(o, p, "txnb", 0, Long.MAX_VALUE, 0L));
  }

  private static void requireLora(JsonNode o, String p) {
    String modu = text(o, p, "modu");
    if (!modu.equals("LORA")) {
      throw new SemtechUdpException(p + "modu", "\"LORA\" (FSK is not simulated)", "\"" + modu + "\"");
    }
  }

  private static Bytes data(JsonNode o, String p) {
    String b64 = text(o, p, "data");
    byte[] data;
    try {
      data = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new SemtechUdpException(p + "data", "base64", "\"" + abbreviate(b64) + "\"");
    }
    long size = integer(o, p, "size", 0, 255, (long) data.length);
    if (size != data.length) {
      throw new SemtechUdpException(p + "size", "the data length " + data.length, Long.toString(size));
    }
    return Bytes.of(data);
  }

  private static long hz(JsonNode o, String p) {
    JsonNode f = o.get("freq");
    if (f == null || !f.isNumber()) {
      throw new SemtechUdpException(p + "freq", "a frequency in MHz", describe(f));
    }
    BigDecimal mhz = f.decimalValue();
    if (mhz.signum() <= 0 || mhz.compareTo(BigDecimal.valueOf(10_000)) > 0) {
      throw new SemtechUdpException(p + "freq", "0..10000 MHz", mhz.toPlainString());
    }
    return mhz.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
  }

  private static long uint32(JsonNode o, String p, String name) {
    return integer(o, p, name, 0, 0xFFFF_FFFFL, null);
  }

  private static long integer(JsonNode o, String p, String name, long min, long max, Long dflt) {
    JsonNode n = o.get(name);
    if (n == null && dflt != null) {
      return dflt;
    }
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new SemtechUdpException(p + name, "an integer " + min + ".." + max, describe(n));
    }
    long v = n.asLong();
    if (v < min || v > max) {
      throw new SemtechUdpException(p + name, "an integer " + min + ".." + max, Long.toString(v));
    }
    return v;
  }

  private static double number(JsonNode o, String p, String name) {
    JsonNode n = o.get(name);
    if (n == null || !n.isNumber()) {
      throw new SemtechUdpException(p + name, "a number", describe(n));
    }
    return n.asDouble();
  }

  private static double optNumber(JsonNode o, String p, String name) {
    return o.has(name) ? number(o, p, name) : 0;
  }

  private static String text(JsonNode o, String p, String name) {
    JsonNode n = o.get(name);
    if (n == null || !n.isTextual()) {
      throw new SemtechUdpException(p + name, "a string", describe(n));
    }
    return n.asText();
  }

  private static JsonNode parseJson(byte[] d, int from, String what) {
    return parseJson(d, from, d.length, what);
  }

  private static JsonNode parseJson(byte[] d, int from, int to, String what) {
    if (to <= from) {
      throw new SemtechUdpException(what + " JSON", "an object", "nothing");
    }
    JsonNode root;
    try {
      root = JSON.readTree(d, from, to - from);
    } catch (IOException e) {
      throw new SemtechUdpException(what + " JSON", "valid UTF-8 JSON",
          "\"" + abbreviate(new String(d, from, to - from, StandardCharsets.UTF_8)) + "\"");
    }
    if (root == null || !root.isObject()) {
      throw new SemtechUdpException(what + " JSON", "an object", describe(root));
    }
    return root;
  }

  private static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(n.toString());
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
