package dev.loralab.gatewayserver.udp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.lorawan.Bytes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** Typed, path-aware access to one JSON object; every failure is a {@link SemtechUdpException}. */
final class JsonObjectReader {

  private final ObjectNode node;
  private final String path;

  private JsonObjectReader(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  static JsonObjectReader of(JsonNode node, String path) {
    if (!(node instanceof ObjectNode o)) {
      throw new SemtechUdpException(DropReason.INVALID_FIELD, path, "a JSON object",
          node == null ? "nothing" : node.getNodeType().toString());
    }
    return new JsonObjectReader(o, path);
  }

  String path() {
    return path;
  }

  String field(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  JsonNode raw(String name) {
    JsonNode n = node.get(name);
    return n == null || n.isNull() ? null : n;
  }

  SemtechUdpException invalid(String name, String expected, JsonNode found) {
    return new SemtechUdpException(DropReason.INVALID_FIELD, field(name), expected,
        found == null ? "nothing" : SemtechUdpCodec.quote(found.toString()));
  }

  Long optLong(String name, long min, long max) {
    JsonNode n = raw(name);
    if (n == null) {
      return null;
    }
    if (!n.isNumber()) {
      throw invalid(name, "a number", n);
    }
    long v;
    if (n.isIntegralNumber()) {
      if (!n.canConvertToLong()) {
        throw invalid(name, min + ".." + max, n);
      }
      v = n.longValue();
    } else {
      double d = n.doubleValue();
      if (!(d >= min && d <= max) || d != Math.rint(d)) {
        throw invalid(name, "an integer in " + min + ".." + max, n);
      }
      v = (long) d;
    }
    if (v < min || v > max) {
      throw invalid(name, min + ".." + max, n);
    }
    return v;
  }

  long reqLong(String name, long min, long max) {
    Long v = optLong(name, min, max);
    if (v == null) {
      throw invalid(name, "a number in " + min + ".." + max, null);
    }
    return v;
  }

  Integer optInt(String name, int min, int max) {
    Long v = optLong(name, min, max);
    return v == null ? null : v.intValue();
  }

  Double optDouble(String name, double min, double max) {
    JsonNode n = raw(name);
    if (n == null) {
      return null;
    }
    if (!n.isNumber()) {
      throw invalid(name, "a number", n);
    }
    double d = n.doubleValue();
    if (!(d >= min && d <= max)) {
      throw invalid(name, min + ".." + max, n);
    }
    return d;
  }

  double reqDouble(String name, double min, double max) {
    Double v = optDouble(name, min, max);
    if (v == null) {
      throw invalid(name, "a number in " + min + ".." + max, null);
    }
    return v;
  }

  boolean optBool(String name) {
    JsonNode n = raw(name);
    if (n == null) {
      return false;
    }
    if (!n.isBoolean()) {
      throw invalid(name, "true or false", n);
    }
    return n.booleanValue();
  }

  String optString(String name, int maxLength) {
    JsonNode n = raw(name);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw invalid(name, "a string", n);
    }
    String s = n.textValue();
    if (s.length() > maxLength) {
      throw invalid(name, "at most " + maxLength + " characters", n);
    }
    return s;
  }

  String reqString(String name, int maxLength) {
    String s = optString(name, maxLength);
    if (s == null) {
      throw invalid(name, "a string", null);
    }
    return s;
  }

  Instant optInstant(String name) {
    String s = optString(name, 40);
    if (s == null) {
      return null;
    }
    try {
      return UtcTimestamp.parse(s);
    } catch (DateTimeParseException e) {
      throw new SemtechUdpException(DropReason.INVALID_FIELD, field(name),
          "an ISO-8601 UTC time", SemtechUdpCodec.quote(s));
    }
  }

  Bytes optBase64(String name, int maxBytes) {
    String s = optString(name, ((maxBytes + 2) / 3) * 4);
    if (s == null) {
      return null;
    }
    try {
      return Bytes.of(Base64.getDecoder().decode(s));
    } catch (IllegalArgumentException e) {
      throw new SemtechUdpException(DropReason.INVALID_BASE64, field(name), "base64",
          SemtechUdpCodec.quote(s));
    }
  }
}
