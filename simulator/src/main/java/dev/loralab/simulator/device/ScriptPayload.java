package dev.loralab.simulator.device;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A payload described by a small script: fields separated by {@code ;}, each
 * {@code <type>(<expression>)} with type {@code u8 i8 u16 i16 u32 i32} (big-endian, value rounded
 * and wrapped to the width). Expressions use numbers, {@code n} (uplink number), {@code t}
 * (seconds since the start), {@code + - * / %}, parentheses and {@code sin cos abs floor min max
 * rand(a,b)}. Example: {@code u8(n % 256); i16(215 + 20*sin(t/3600)); u16(rand(3000, 3300))}.
 */
public final class ScriptPayload implements PayloadGenerator {

  private final String source;
  private final List<Field> fields;

  /**
   * Parses the script.
   *
   * @throws IllegalArgumentException naming the position of the first error
   */
  public ScriptPayload(String source) {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("script: at least one field expected");
    }
    this.source = source;
    this.fields = new ArrayList<>();
    for (String part : source.split(";")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int open = p.indexOf('(');
      if (open < 0 || !p.endsWith(")")) {
        throw new IllegalArgumentException("script field \"" + p + "\": <type>(<expression>) expected");
      }
      int width = switch (p.substring(0, open).trim()) {
        case "u8", "i8" -> 1;
        case "u16", "i16" -> 2;
        case "u32", "i32" -> 4;
        default -> throw new IllegalArgumentException("script field \"" + p + "\": type u8, i8, u16, i16, u32 or i32 expected");
      };
      Parser parser = new Parser(p.substring(open + 1, p.length() - 1));
      fields.add(new Field(width, parser.parseAll()));
    }
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("script: at least one field expected");
    }
  }

  /** The script text. */
  public String source() {
    return source;
  }

  @Override
  public byte[] next(long uplinkNumber, double secondsSinceStart, RandomGenerator random) {
    int size = fields.stream().mapToInt(Field::width).sum();
    byte[] out = new byte[size];
    int off = 0;
    for (Field f : fields) {
      double v = f.expr.eval(uplinkNumber, secondsSinceStart, random);
      long l = Double.isFinite(v) ? Math.round(v) : 0;
      for (int i = f.width - 1; i >= 0; i--) {
        out[off++] = (byte) (l >>> (8 * i));
      }
    }
    return out;
  }

  private record Field(int width, Expr expr) {}

  private interface Expr {
    double eval(long n, double t, RandomGenerator r);
  }

  /** Recursive descent: expr := term (('+'|'-') term)*; term := unary (('*'|'/'|'%') unary)*. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    Expr parseAll() {
      Expr e = expr();
      skip();
      if (pos != s.length()) {
        throw error("end of expression");
      }
      return e;
    }

    private Expr expr() {
      Expr left = term();
      while (true) {
        skip();
        if (eat('+')) {
          Expr a = left;
          Expr b = term();
          left = (n, t, r) -> a.eval(n, t, r) + b.eval(n, t, r);
        } else if (eat('-')) {
          Expr a = left;
          Expr b = term();
          left = (n, t, r) -> a.eval(n, t, r) - b.eval(n, t, r);
        } else {
          return left;
        }
      }
    }

    private Expr term() {
      Expr left = unary();
      while (true) {
        skip();
        if (eat('*')) {
          Expr a = left;
          Expr b = unary();
          left = (n, t, r) -> a.eval(n, t, r) * b.eval(n, t, r);
        } else if (eat('/')) {
          Expr a = left;
          Expr b = unary();
          left = (n, t, r) -> a.eval(n, t, r) / b.eval(n, t, r);
        } else if (eat('%')) {
          Expr a = left;
          Expr b = unary();
          left = (n, t, r) -> a.eval(n, t, r) % b.eval(n, t, r);
        } else {
          return left;
        }
      }
    }

    private Expr unary() {
      skip();
      if (eat('-')) {
        Expr e = unary();
        return (n, t, r) -> -e.eval(n, t, r);
      }
      return primary();
    }

    private Expr primary() {
      skip();
      if (eat('(')) {
        Expr e = expr();
        skip();
        if (!eat(')')) {
          throw error("')'");
        }
        return e;
      }
      int start = pos;
      if (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
        while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
          pos++;
        }
        double v;
        try {
          v = Double.parseDouble(s.substring(start, pos));
        } catch (NumberFormatException e) {
          pos = start;
          throw error("a number");
        }
        return (n, t, r) -> v;
      }
      while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
        pos++;
      }
      String name = s.substring(start, pos);
      switch (name) {
        case "n":
          return (n, t, r) -> n;
        case "t":
          return (n, t, r) -> t;
        case "sin", "cos", "abs", "floor": {
          List<Expr> a = args(1);
          Expr x = a.get(0);
          return switch (name) {
            case "sin" -> (n, t, r) -> Math.sin(x.eval(n, t, r));
            case "cos" -> (n, t, r) -> Math.cos(x.eval(n, t, r));
            case "abs" -> (n, t, r) -> Math.abs(x.eval(n, t, r));
            default -> (n, t, r) -> Math.floor(x.eval(n, t, r));
          };
        }
        case "min", "max", "rand": {
          List<Expr> a = args(2);
          Expr x = a.get(0);
          Expr y = a.get(1);
          return switch (name) {
            case "min" -> (n, t, r) -> Math.min(x.eval(n, t, r), y.eval(n, t, r));
            case "max" -> (n, t, r) -> Math.max(x.eval(n, t, r), y.eval(n, t, r));
            default -> (n, t, r) -> {
              double lo = x.eval(n, t, r);
              double hi = y.eval(n, t, r);
              return hi > lo ? lo + r.nextDouble() * (hi - lo) : lo;
            };
          };
        }
        default:
          pos = start;
          throw error("a number, n, t, (, or one of sin cos abs floor min max rand");
      }
    }

    private List<Expr> args(int count) {
      skip();
      if (!eat('(')) {
        throw error("'('");
      }
      List<Expr> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          skip();
          if (!eat(',')) {
            throw error("','");
          }
        }
        out.add(expr());
      }
      skip();
      if (!eat(')')) {
        throw error("')'");
      }
      return out;
    }

    private boolean eat(char c) {
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    private void skip() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private IllegalArgumentException error(String expected) {
      String found = pos < s.length() ? "\"" + s.substring(pos) + "\"" : "end of text";
      return new IllegalArgumentException("script expression \"" + s + "\" at " + pos + ": " + expected
          + " expected, found " + found);
    }
  }
}
