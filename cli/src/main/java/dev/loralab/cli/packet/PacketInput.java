package dev.loralab.cli.packet;

import dev.loralab.cli.CliInputException;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.NetId;
import java.util.Base64;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Parsing of command-line values into protocol values; failures become {@link CliInputException}. */
final class PacketInput {

  private static final Pattern HEX = Pattern.compile("(?:[0-9A-Fa-f]{2})+");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]+={0,2}");

  private PacketInput() {}

  /** Hex (preferred when the text is valid hex) or standard/URL-safe base64. */
  static byte[] frameBytes(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) {
      throw new CliInputException("frame: expected hex or base64, found an empty string");
    }
    if (HEX.matcher(t).matches()) {
      return HexBytes.parse("frame", t);
    }
    if (BASE64.matcher(t).matches()) {
      try {
        return (t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
            .decode(t);
      } catch (IllegalArgumentException e) {
        throw new CliInputException("frame: expected hex or base64, found invalid base64 (" + e.getMessage() + ")");
      }
    }
    throw new CliInputException("frame: expected hex or base64, found \"" + abbreviate(t) + "\"");
  }

  static AesKey key(String option, String value) {
    return parse(option, value, AesKey::parse);
  }

  static Eui64 eui(String option, String value) {
    return parse(option, value, Eui64::parse);
  }

  static DevNonce devNonce(String option, String value) {
    return parse(option, value, DevNonce::parse);
  }

  static JoinNonce joinNonce(String option, String value) {
    return parse(option, value, JoinNonce::parse);
  }

  static NetId netId(String option, String value) {
    return parse(option, value, NetId::parse);
  }

  static MacVersion version(String option, String value) {
    return parse(option, value, MacVersion::parse);
  }

  /** {@code null} stays {@code null}; a malformed value names the option and the domain error. */
  static <T> T parse(String option, String value, Function<String, T> parser) {
    if (value == null) {
      return null;
    }
    try {
      return parser.apply(value.trim());
    } catch (LoRaWanException e) {
      throw new CliInputException(option + ": " + e.getMessage());
    }
  }

  static <T> T require(T value, String option, String purpose) {
    if (value == null) {
      throw new CliInputException(option + " is required " + purpose);
    }
    return value;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
