package dev.loralab.cli.entities;

import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.PHYVersion;
import dev.loralab.cli.CliInputException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/** Validation and normalisation of command-line values (pure; failures are {@link CliInputException}). */
final class Values {

  private Values() {
  }

  /** An entity ID: 2..36 lower-case letters, digits and single dashes, as The Things Stack's. */
  static String id(String flag, String v) {
    if (v == null || !v.matches("[a-z0-9](?:[-]?[a-z0-9]){1,35}")) {
      throw new CliInputException(flag + ": expected an ID of 2-36 lower-case letters, digits and dashes, found '"
          + show(v) + "'");
    }
    return v;
  }

  /** {@code hexDigits} hex digits (spaces, colons and dashes allowed), upper-cased. */
  static String hex(String flag, String v, int hexDigits) {
    String h = v == null ? "" : v.replaceAll("[\\s:\\-]", "").toUpperCase(Locale.ROOT);
    if (h.startsWith("0X")) {
      h = h.substring(2);
    }
    if (h.length() != hexDigits || !h.matches("[0-9A-F]*")) {
      throw new CliInputException(flag + ": expected " + hexDigits + " hex digits, found '" + show(v) + "'");
    }
    return h;
  }

  /** Any even number of hex digits (a payload), upper-cased; empty is allowed. */
  static String payloadHex(String flag, String v, int maxBytes) {
    String h = v == null ? "" : v.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
    if (h.length() % 2 != 0 || !h.matches("[0-9A-F]*") || h.length() / 2 > maxBytes) {
      throw new CliInputException(flag + ": expected at most " + maxBytes + " bytes as hex, found '" + show(v) + "'");
    }
    return h;
  }

  /** An RFC 3339 timestamp, returned unchanged. */
  static String timestamp(String flag, String v) {
    try {
      OffsetDateTime.parse(v);
      return v;
    } catch (DateTimeParseException e) {
      throw new CliInputException(flag + ": expected an RFC 3339 time such as 2030-01-01T00:00:00Z, found '"
          + show(v) + "'");
    }
  }

  /** A frequency plan ID. */
  static String planId(String flag, String v) {
    if (v == null || !v.matches("[A-Za-z0-9_\\-]{1,64}")) {
      throw new CliInputException(flag + ": expected a frequency plan ID such as EU_863_870, found '" + show(v) + "'");
    }
    return v;
  }

  private static final Map<String, MACVersion> MAC = Map.of(
      "1_0", MACVersion.MAC_V1_0, "1_0_0", MACVersion.MAC_V1_0, "1_0_1", MACVersion.MAC_V1_0_1,
      "1_0_2", MACVersion.MAC_V1_0_2, "1_0_3", MACVersion.MAC_V1_0_3, "1_0_4", MACVersion.MAC_V1_0_4,
      "1_1", MACVersion.MAC_V1_1, "1_1_0", MACVersion.MAC_V1_1);

  /** {@code 1.0.3}, {@code 1.1}, {@code MAC_V1_0_3}. */
  static MACVersion macVersion(String flag, String v) {
    String n = norm(v);
    if (n.startsWith("MAC_V")) {
      n = n.substring(5);
    }
    MACVersion m = MAC.get(n);
    if (m == null) {
      throw new CliInputException(flag + ": expected a LoRaWAN version such as 1.0.3, 1.0.4 or 1.1, found '"
          + show(v) + "'");
    }
    return m;
  }

  private static final Map<String, PHYVersion> PHY = Map.ofEntries(
      Map.entry("1_0", PHYVersion.TS001_V1_0), Map.entry("1_0_1", PHYVersion.TS001_V1_0_1),
      Map.entry("1_0_2", PHYVersion.RP001_V1_0_2), Map.entry("1_0_2_A", PHYVersion.RP001_V1_0_2),
      Map.entry("1_0_2_B", PHYVersion.RP001_V1_0_2_REV_B), Map.entry("1_1_A", PHYVersion.RP001_V1_1_REV_A),
      Map.entry("1_1_B", PHYVersion.RP001_V1_1_REV_B), Map.entry("1_0_3_A", PHYVersion.RP001_V1_0_3_REV_A),
      Map.entry("RP002_1_0_0", PHYVersion.RP002_V1_0_0), Map.entry("RP002_1_0_1", PHYVersion.RP002_V1_0_1),
      Map.entry("RP002_1_0_2", PHYVersion.RP002_V1_0_2), Map.entry("RP002_1_0_3", PHYVersion.RP002_V1_0_3),
      Map.entry("RP002_1_0_4", PHYVersion.RP002_V1_0_4));

  /** {@code 1.0.3-a}, {@code RP002-1.0.4}, {@code RP001_V1_0_3_REV_A}, {@code PHY_V1_0_3_REV_A}. */
  static PHYVersion phyVersion(String flag, String v) {
    String n = norm(v);
    for (PHYVersion p : PHYVersion.values()) {
      if (p != PHYVersion.UNRECOGNIZED && p != PHYVersion.PHY_UNKNOWN && p.name().equals(n)) {
        return p;
      }
    }
    n = n.replace("REV_", "").replace("PHY_V", "").replace("_V", "_");
    if (n.startsWith("RP001_") || n.startsWith("TS001_")) {
      n = n.substring(6);
    }
    PHYVersion p = PHY.get(n);
    if (p == null) {
      throw new CliInputException(flag + ": expected a regional parameters version such as 1.0.3-a or "
          + "RP002-1.0.4, found '" + show(v) + "'");
    }
    return p;
  }

  private static String norm(String v) {
    return v == null ? "" : v.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The value for an error message: at most 60 characters, control characters escaped. */
  static String show(String v) {
    if (v == null) {
      return "";
    }
    String s = v.length() > 60 ? v.substring(0, 60) + "..." : v;
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
