package dev.loralab.gatewayserver.udp;

import dev.loralab.lorawan.Bytes;

/**
 * The {@code txpk} object of a PULL_RESP (PROTOCOL.TXT §6). Exactly one of {@code imme},
 * {@code tmst}, {@code tmms} selects the transmission time. Boxed fields are {@code null} when
 * absent.
 *
 * @param imme transmit immediately
 * @param tmst concentrator µs counter at which the preamble starts, unsigned 32-bit
 * @param tmms GPS time in ms
 * @param frequencyHz centre frequency in Hz ({@code freq} is MHz on the wire)
 * @param rfch RF chain
 * @param powe TX power, dBm
 * @param modulation LORA or FSK
 * @param datr data rate
 * @param codr coding rate, mandatory for LoRa
 * @param fdev FSK frequency deviation, Hz
 * @param ipol invert polarity (LoRaWAN downlinks: true)
 * @param prea preamble length
 * @param data the PHYPayload; {@code size} on the wire is its length
 * @param ncrc disable the PHY CRC (LoRaWAN downlinks: true)
 * @param brd board index
 * @param ant antenna index
 */
public record Txpk(
    boolean imme,
    Long tmst,
    Long tmms,
    long frequencyHz,
    int rfch,
    Integer powe,
    Modulation modulation,
    Datr datr,
    String codr,
    Integer fdev,
    boolean ipol,
    Integer prea,
    Bytes data,
    boolean ncrc,
    Integer brd,
    Integer ant) {

  /** Validates the timing choice, ranges and modulation. */
  public Txpk {
    int timings = (imme ? 1 : 0) + (tmst != null ? 1 : 0) + (tmms != null ? 1 : 0);
    if (timings != 1) {
      throw Check.invalid("txpk", "exactly one of imme, tmst, tmms", timings + " of them");
    }
    Check.range("txpk.tmst", tmst, 0, 0xFFFF_FFFFL);
    Check.range("txpk.tmms", tmms, 0, Long.MAX_VALUE / 2);
    Check.range("txpk.freq", frequencyHz, SemtechUdpCodec.MIN_FREQUENCY_HZ,
        SemtechUdpCodec.MAX_FREQUENCY_HZ);
    Check.range("txpk.rfch", rfch, 0, 255);
    Check.range("txpk.powe", powe, -30, 40);
    Check.required("txpk.modu", modulation);
    Check.required("txpk.datr", datr);
    boolean consistent = switch (modulation) {
      case LORA -> datr instanceof Datr.LoRa && codr != null;
      case FSK -> datr instanceof Datr.Fsk;
      case LR_FHSS -> false;
    };
    if (!consistent) {
      throw Check.invalid("txpk.datr", "LORA with SF/BW and codr, or FSK with a bit rate",
          modulation.wire() + " " + datr.wire() + " codr " + codr);
    }
    if (codr != null && !SemtechUdpCodec.CODING_RATES.contains(codr)) {
      throw Check.invalid("txpk.codr", "one of " + SemtechUdpCodec.CODING_RATES, codr);
    }
    Check.range("txpk.fdev", fdev, 0, 200_000);
    Check.range("txpk.prea", prea, 0, 65_535);
    Check.required("txpk.data", data);
    Check.range("txpk.size", data.length(), 0, Rxpk.MAX_PAYLOAD);
    Check.range("txpk.brd", brd, 0, 255);
    Check.range("txpk.ant", ant, 0, 255);
  }

  /** A LoRaWAN downlink at {@code tmst}: LoRa, inverted polarity, no CRC, RF chain 0. */
  public static Txpk loraAt(long tmst, long frequencyHz, int powerDbm, int spreadingFactor,
      int bandwidthHz, String codr, Bytes data) {
    return new Txpk(false, tmst, null, frequencyHz, 0, powerDbm, Modulation.LORA,
        new Datr.LoRa(spreadingFactor, bandwidthHz), codr, null, true, null, data, true, null,
        null);
  }
}
