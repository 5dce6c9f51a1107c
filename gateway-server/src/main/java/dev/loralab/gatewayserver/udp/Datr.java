package dev.loralab.gatewayserver.udp;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code datr} field: a LoRa {@code "SF7BW125"} string, an FSK bit rate number, or an LR-FHSS
 * string such as {@code "M0CW137"}.
 */
public sealed interface Datr {

  /** LoRa bandwidths in Hz that gateways report (sub-GHz and 2.4 GHz). */
  Set<Integer> LORA_BANDWIDTHS = Set.of(7_800, 10_400, 15_600, 20_800, 31_200, 41_700, 62_500,
      125_000, 250_000, 500_000, 203_125, 406_250, 812_500);

  /** The JSON representation: a string, or an Integer for FSK. */
  Object wire();

  /**
   * LoRa.
   *
   * @param spreadingFactor 5..12
   * @param bandwidthHz one of {@link #LORA_BANDWIDTHS}
   */
  record LoRa(int spreadingFactor, int bandwidthHz) implements Datr {
    /** Validates the ranges. */
    public LoRa {
      if (spreadingFactor < 5 || spreadingFactor > 12) {
        throw new SemtechUdpException(DropReason.INVALID_FIELD, "datr", "spreading factor 5..12",
            Integer.toString(spreadingFactor));
      }
      if (!LORA_BANDWIDTHS.contains(bandwidthHz)) {
        throw new SemtechUdpException(DropReason.INVALID_FIELD, "datr", "a LoRa bandwidth",
            bandwidthHz + " Hz");
      }
    }

    /** Parses {@code "SF<sf>BW<kHz>"}: 1–2 digits, then 1–3 digits with up to 3 decimals. */
    public static LoRa parse(String s) {
      int sfEnd = digitsEnd(s, 2, 2);
      if (!s.startsWith("SF") || sfEnd < 0 || !s.startsWith("BW", sfEnd)) {
        throw notLoRa(s);
      }
      int kHzStart = sfEnd + 2;
      int kHzEnd = digitsEnd(s, kHzStart, 3);
      if (kHzEnd < 0) {
        throw notLoRa(s);
      }
      int bw = Integer.parseInt(s, kHzStart, kHzEnd, 10) * 1000;
      if (kHzEnd < s.length()) {
        int decimalsEnd = s.charAt(kHzEnd) == '.' ? digitsEnd(s, kHzEnd + 1, 3) : -1;
        if (decimalsEnd != s.length()) {
          throw notLoRa(s);
        }
        int decimals = Integer.parseInt(s, kHzEnd + 1, decimalsEnd, 10);
        bw += decimals * (decimalsEnd - kHzEnd == 2 ? 100 : decimalsEnd - kHzEnd == 3 ? 10 : 1);
      }
      if (bw == 7_813) {
        bw = 7_800;
      }
      return new LoRa(Integer.parseInt(s, 2, sfEnd, 10), bw);
    }

    /** End of the run of 1..{@code max} ASCII digits at {@code from}, or -1 if there is none. */
    private static int digitsEnd(String s, int from, int max) {
      int i = from;
      while (i < s.length() && i - from < max && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      return i == from ? -1 : i;
    }

    private static SemtechUdpException notLoRa(String s) {
      return new SemtechUdpException(DropReason.INVALID_FIELD, "datr", "SF<n>BW<kHz>",
          SemtechUdpCodec.quote(s));
    }

    @Override
    public Object wire() {
      String bw = bandwidthHz % 1000 == 0 ? Integer.toString(bandwidthHz / 1000)
          : java.math.BigDecimal.valueOf(bandwidthHz, 3).stripTrailingZeros().toPlainString();
      return "SF" + spreadingFactor + "BW" + bw;
    }
  }

  /**
   * FSK.
   *
   * @param bitRate bits per second, 500..300000
   */
  record Fsk(int bitRate) implements Datr {
    /** Validates the range. */
    public Fsk {
      if (bitRate < 500 || bitRate > 300_000) {
        throw new SemtechUdpException(DropReason.INVALID_FIELD, "datr", "FSK bit rate 500..300000",
            Integer.toString(bitRate));
      }
    }

    @Override
    public Object wire() {
      return bitRate;
    }
  }

  /**
   * LR-FHSS, kept as its string, e.g. {@code "M0CW137"}.
   *
   * @param name the datr string
   */
  record LrFhss(String name) implements Datr {
    private static final Pattern PATTERN = Pattern.compile("M0CW\\d{2,4}");

    /** Validates the shape. */
    public LrFhss {
      if (name == null || !PATTERN.matcher(name).matches()) {
        throw new SemtechUdpException(DropReason.INVALID_FIELD, "datr", "M0CW<kHz>",
            SemtechUdpCodec.quote(name));
      }
    }

    @Override
    public Object wire() {
      return name;
    }
  }
}
