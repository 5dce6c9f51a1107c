package dev.loralab.gatewayserver.udp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.gatewayserver.udp.SemtechPacket.TxAck;
import dev.loralab.lorawan.Eui64;
import java.io.IOException;
import java.util.Base64;
import java.util.Objects;

/**
 * The codec's former encoder, which built a Jackson tree and serialised it; kept as the reference
 * that the streaming encoder must match byte for byte.
 */
final class TreeJsonEncoding {

  private final ObjectMapper mapper = JsonMapper.builder(JsonFactory.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build()).build();

  /**
   * Encodes a packet. For a version-1 PULL_RESP the caller passes token 0 (the bytes are unused
   * in v1).
   */
  public byte[] encode(SemtechPacket packet) {
    Objects.requireNonNull(packet, "packet");
    PacketType type = packet.type();
    byte[] body;
    if (packet instanceof PushData p) {
      body = json(pushDataJson(p));
    } else if (packet instanceof PullResp p) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.set("txpk", txpkJson(p.txpk()));
      body = json(root);
    } else if (packet instanceof TxAck t && t.ack().isPresent()) {
      body = json(txAckJson(t.ack().get()));
    } else {
      body = new byte[0];
    }
    byte[] out = new byte[type.headerLength() + body.length];
    out[0] = (byte) packet.version();
    out[1] = (byte) (packet.token() >>> 8);
    out[2] = (byte) packet.token();
    out[3] = (byte) type.id();
    Eui64 eui = null;
    if (packet instanceof PushData p) {
      eui = p.gatewayEui();
    } else if (packet instanceof PullData p) {
      eui = p.gatewayEui();
    } else if (packet instanceof TxAck t) {
      eui = t.gatewayEui();
    }
    if (eui != null) {
      long v = eui.value();
      for (int i = 11; i >= 4; i--) {
        out[i] = (byte) v;
        v >>>= 8;
      }
    }
    System.arraycopy(body, 0, out, type.headerLength(), body.length);
    return out;
  }

  private byte[] json(ObjectNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (IOException e) {
      // Writing a tree of plain values to memory cannot fail.
      throw new IllegalStateException("JSON serialisation failed", e);
    }
  }

  private static ObjectNode pushDataJson(PushData p) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (!p.rxpk().isEmpty()) {
      ArrayNode arr = root.putArray("rxpk");
      for (Rxpk r : p.rxpk()) {
        arr.add(rxpkJson(r));
      }
    }
    p.stat().ifPresent(s -> root.set("stat", statJson(s)));
    return root;
  }

  private static ObjectNode rxpkJson(Rxpk r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (r.time() != null) {
      o.put("time", r.time().toString());
    }
    putIf(o, "tmms", r.tmms());
    o.put("tmst", r.tmst());
    putIf(o, "ftime", r.ftime());
    o.put("freq", SemtechUdpCodec.megahertz(r.frequencyHz()));
    putIf(o, "chan", r.chan());
    putIf(o, "rfch", r.rfch());
    putIf(o, "brd", r.brd());
    putIf(o, "stat", r.stat());
    o.put("modu", r.modulation().wire());
    putDatr(o, r.datr());
    putIf(o, "codr", r.codr());
    putIf(o, "rssi", r.rssi());
    putIf(o, "rssis", r.rssis());
    putIf(o, "lsnr", r.lsnr());
    putIf(o, "foff", r.foff());
    putIf(o, "mid", r.mid());
    putIf(o, "aesk", r.aesk());
    putIf(o, "hpw", r.hpw());
    if (!r.rsig().isEmpty()) {
      ArrayNode arr = o.putArray("rsig");
      for (Rsig s : r.rsig()) {
        ObjectNode so = arr.addObject();
        so.put("ant", s.ant());
        putIf(so, "chan", s.chan());
        putIf(so, "rssic", s.rssic());
        putIf(so, "rssis", s.rssis());
        putIf(so, "rssisd", s.rssisd());
        putIf(so, "lsnr", s.lsnr());
        if (s.etime() != null) {
          so.put("etime", Base64.getEncoder().encodeToString(s.etime().toArray()));
        }
        putIf(so, "ftime", s.ftime());
        putIf(so, "foff", s.foff());
      }
    }
    o.put("size", r.data().length());
    o.put("data", Base64.getEncoder().encodeToString(r.data().toArray()));
    return o;
  }

  private static ObjectNode statJson(Stat s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    putIf(o, "time", s.time());
    putIf(o, "lati", s.lati());
    putIf(o, "long", s.longi());
    putIf(o, "alti", s.alti());
    putIf(o, "rxnb", s.rxnb());
    putIf(o, "rxok", s.rxok());
    putIf(o, "rxfw", s.rxfw());
    putIf(o, "ackr", s.ackr());
    putIf(o, "dwnb", s.dwnb());
    putIf(o, "txnb", s.txnb());
    putIf(o, "temp", s.temp());
    putIf(o, "boot", s.boot());
    putIf(o, "lmok", s.lmok());
    putIf(o, "lmst", s.lmst());
    putIf(o, "lmnw", s.lmnw());
    putIf(o, "lpps", s.lpps());
    putIf(o, "fpga", s.fpga());
    putIf(o, "dsp", s.dsp());
    putIf(o, "hal", s.hal());
    return o;
  }

  private static ObjectNode txpkJson(Txpk t) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (t.imme()) {
      o.put("imme", true);
    }
    putIf(o, "tmst", t.tmst());
    putIf(o, "tmms", t.tmms());
    o.put("freq", SemtechUdpCodec.megahertz(t.frequencyHz()));
    o.put("rfch", t.rfch());
    putIf(o, "powe", t.powe());
    o.put("modu", t.modulation().wire());
    putDatr(o, t.datr());
    putIf(o, "codr", t.codr());
    putIf(o, "fdev", t.fdev());
    o.put("ipol", t.ipol());
    putIf(o, "prea", t.prea());
    o.put("size", t.data().length());
    o.put("data", Base64.getEncoder().encodeToString(t.data().toArray()));
    o.put("ncrc", t.ncrc());
    putIf(o, "brd", t.brd());
    putIf(o, "ant", t.ant());
    return o;
  }

  private static ObjectNode txAckJson(TxpkAck a) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode o = root.putObject("txpk_ack");
    putIf(o, "error", a.error());
    putIf(o, "warn", a.warn());
    putIf(o, "value", a.value());
    return root;
  }

  private static void putDatr(ObjectNode o, Datr d) {
    Object w = d.wire();
    if (w instanceof Integer i) {
      o.put("datr", i);
    } else {
      o.put("datr", (String) w);
    }
  }

  private static void putIf(ObjectNode o, String name, Object v) {
    if (v == null) {
      return;
    }
    if (v instanceof String s) {
      o.put(name, s);
    } else if (v instanceof Integer i) {
      o.put(name, i);
    } else if (v instanceof Long l) {
      o.put(name, l);
    } else if (v instanceof Double d) {
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        o.put(name, d.longValue());
      } else {
        o.put(name, d);
      }
    } else {
      throw new IllegalArgumentException(name + ": unsupported type " + v.getClass());
    }
  }

}
