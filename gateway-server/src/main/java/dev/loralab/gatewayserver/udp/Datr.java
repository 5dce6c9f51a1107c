package dev.loralab.gatewayserver.udp;

import java.util.Set;
import java.util.regex.Matcher;
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
    private static final Pattern PATTERN = Pattern.compile("SF(\\d{1,2})BW(\\d{1,3}(?:\\.\\d{1,3})?)");

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

    /** Parses {@code "SF<sf>BW<kHz>"}. */
    public static LoRa parse(String s) {
      Matcher m = PATTERN.matcher(s);
      if (!m.matches()) {
        throw new SemtechUdpException(DropReason.INVALID_FIELD, "datr", "SF<n>BW<kHz>",
            SemtechUdpCodec.quote(s));
      }
      int sf = Integer.parseInt(m.group(1));
      int bw = (int) Math.round(Double.parseDouble(m.group(2)) * 1000);
      if (bw == 7_813) {
        bw = 7_800;
      }
      return new LoRa(sf, bw);
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
