package dev.loralab.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A compiled route pattern. Package-private. */
final class RoutePattern {

  /** Result of a match: params, or an error for a matching shape with an invalid value. */
  record Result(Map<String, String> params, String error) {
  }

  private final List<String> literals; // null entry = parameter
  private final List<String> names;
  private final String restName;
  private final int specificity;
  private final String shape;

  private RoutePattern(List<String> literals, List<String> names, String restName) {
    this.literals = literals;
    this.names = names;
    this.restName = restName;
    int s = 0;
    StringBuilder sh = new StringBuilder();
    for (String l : literals) {
      if (l != null) {
        s += 2;
        sh.append('/').append(l);
      } else {
        s += 1;
        sh.append("/{}");
      }
    }
    if (restName != null) {
      sh.append("/{...}");
    }
    this.specificity = s;
    this.shape = sh.toString();
  }

  static RoutePattern parse(String pattern) {
    if (pattern == null || !pattern.startsWith("/")) {
      throw new IllegalArgumentException("pattern: expected a path starting with '/', found " + pattern);
    }
    List<String> parts = split(pattern);
    List<String> literals = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String rest = null;
    for (int i = 0; i < parts.size(); i++) {
      String p = parts.get(i);
      if (p.startsWith("{") && p.endsWith("}")) {
        String name = p.substring(1, p.length() - 1);
        boolean isRest = name.endsWith("...");
        if (isRest) {
          name = name.substring(0, name.length() - 3);
          if (i != parts.size() - 1) {
            throw new IllegalArgumentException("pattern " + pattern + ": {" + name + "...} must be the last segment");
          }
        }
        if (name.isEmpty() || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new IllegalArgumentException("pattern " + pattern + ": invalid parameter name '" + name + "'");
        }
        if (!seen.add(name)) {
          throw new IllegalArgumentException("pattern " + pattern + ": duplicate parameter '" + name + "'");
        }
        if (isRest) {
          rest = name;
        } else {
          literals.add(null);
          names.add(name);
        }
      } else {
        if (p.contains("{") || p.contains("}")) {
          throw new IllegalArgumentException("pattern " + pattern + ": malformed segment '" + p + "'");
        }
        literals.add(p);
        names.add(null);
      }
    }
    return new RoutePattern(literals, names, rest);
  }

  /** Splits a raw path into raw segments; a trailing slash gives a final empty segment. */
  static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    if (path.isEmpty() || path.equals("/")) {
      return out;
    }
    int start = path.startsWith("/") ? 1 : 0;
    while (true) {
      int slash = path.indexOf('/', start);
      if (slash < 0) {
        out.add(path.substring(start));
        return out;
      }
      out.add(path.substring(start, slash));
      start = slash + 1;
    }
  }

  int specificity() {
    return specificity;
  }

  String shape() {
    return shape;
  }

  /** Returns null when the shape does not match. */
  Result match(List<String> segments) {
    int n = literals.size();
    if (restName == null ? segments.size() != n : segments.size() < n) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      String lit = literals.get(i);
      if (lit != null && !lit.equals(segments.get(i))) {
        return null;
      }
      if (lit == null && segments.get(i).isEmpty()) {
        return null;
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      if (literals.get(i) == null) {
        String name = names.get(i);
        String decoded = decode(segments.get(i));
        String err = decoded == null ? "invalid percent-encoding" : validate(decoded);
        if (err != null) {
          return new Result(Map.of(), "path parameter " + name + ": " + err);
        }
        params.put(name, decoded);
      }
    }
    if (restName != null) {
      StringBuilder sb = new StringBuilder();
      for (int i = n; i < segments.size(); i++) {
        String decoded = decode(segments.get(i));
        boolean last = i == segments.size() - 1;
        String err = decoded == null ? "invalid percent-encoding"
            : decoded.isEmpty() && last ? null
            : decoded.isEmpty() ? "empty segment" : validate(decoded);
        if (err != null) {
          return new Result(Map.of(), "path parameter " + restName + ": " + err);
        }
        if (i > n) {
          sb.append('/');
        }
        sb.append(decoded);
      }
      params.put(restName, sb.toString());
    }
    return new Result(params, null);
  }

  private static String validate(String v) {
    if (v.equals(".") || v.equals("..")) {
      return "expected a name, found '" + v + "'";
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '/' || c == '\\') {
        return "expected no '" + c + "', found one at index " + i;
      }
      if (c < 0x20 || c == 0x7f) {
        return "expected no control characters, found 0x" + Integer.toHexString(c) + " at index " + i;
      }
    }
    return null;
  }

  /** Strict percent-decoding as UTF-8 ('+' is literal in paths); null when malformed. */
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] buf = new byte[s.length()];
    int len = 0;
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        buf[len++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else {
        if (len > 0) {
          String part = StrictUtf8.decode(buf, 0, len);
          if (part == null) {
            return null;
          }
          out.append(part);
          len = 0;
        }
        out.append(c);
      }
    }
    if (len > 0) {
      String part = StrictUtf8.decode(buf, 0, len);
      if (part == null) {
        return null;
      }
      out.append(part);
    }
    return out.toString();
  }
}
