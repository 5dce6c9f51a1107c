package dev.loralab.gatewayserver.udp;

import dev.loralab.lorawan.Bytes;
import java.time.Instant;
import java.util.List;

/**
 * One received frame of a PUSH_DATA ({@code rxpk}, PROTOCOL.TXT §4, sx1302 PROTOCOL.md §4).
 * Boxed fields are {@code null} when absent.
 *
 * @param time UTC time of reception (GPS-synchronised gateways only)
 * @param tmms GPS time of reception, ms since 1980-01-06
 * @param tmst concentrator µs counter at the end of reception, unsigned 32-bit
 * @param ftime fine timestamp, ns since the last PPS
 * @param frequencyHz centre frequency in Hz ({@code freq} is MHz on the wire)
 * @param chan IF channel
 * @param rfch RF chain
 * @param brd board index
 * @param stat CRC status: 1 OK, -1 failed, 0 no CRC
 * @param modulation {@code modu}
 * @param datr data rate
 * @param codr coding rate, e.g. {@code "4/5"}
 * @param rssi channel RSSI, dBm
 * @param rssis signal RSSI, dBm
 * @param lsnr SNR, dB
 * @param foff frequency offset, Hz
 * @param mid modem id
 * @param aesk AES key index of the fine timestamp
 * @param hpw LR-FHSS hopping grid width
 * @param rsig per-antenna signals (empty when absent)
 * @param data the PHYPayload; {@code size} on the wire is its length
 */
public record Rxpk(
    Instant time,
    Long tmms,
    long tmst,
    Long ftime,
    long frequencyHz,
    Integer chan,
    Integer rfch,
    Integer brd,
    Integer stat,
    Modulation modulation,
    Datr datr,
    String codr,
    Double rssi,
    Double rssis,
    Double lsnr,
    Long foff,
    Integer mid,
    Integer aesk,
    Integer hpw,
    List<Rsig> rsig,
    Bytes data) {

  /** Maximum LoRa PHY payload. */
  public static final int MAX_PAYLOAD = 255;

  /** Validates the ranges and the consistency of modulation and data rate. */
  public Rxpk {
    Check.range("rxpk.tmms", tmms, 0, Long.MAX_VALUE / 2);
    Check.range("rxpk.tmst", tmst, 0, 0xFFFF_FFFFL);
    Check.range("rxpk.ftime", ftime, 0, 999_999_999);
    Check.range("rxpk.freq", frequencyHz, SemtechUdpCodec.MIN_FREQUENCY_HZ,
        SemtechUdpCodec.MAX_FREQUENCY_HZ);
    Check.range("rxpk.chan", chan, 0, 255);
    Check.range("rxpk.rfch", rfch, 0, 255);
    Check.range("rxpk.brd", brd, 0, 255);
    Check.range("rxpk.stat", stat, -1, 1);
    Check.required("rxpk.modu", modulation);
    Check.required("rxpk.datr", datr);
    boolean consistent = switch (modulation) {
      case LORA -> datr instanceof Datr.LoRa;
      case FSK -> datr instanceof Datr.Fsk;
      case LR_FHSS -> datr instanceof Datr.LrFhss;
    };
    if (!consistent) {
      throw Check.invalid("rxpk.datr", "a data rate of modulation " + modulation.wire(), datr.wire());
    }
    if (codr != null && !SemtechUdpCodec.CODING_RATES.contains(codr)) {
      throw Check.invalid("rxpk.codr", "one of " + SemtechUdpCodec.CODING_RATES, codr);
    }
    Check.range("rxpk.rssi", rssi, -300.0, 100.0);
    Check.range("rxpk.rssis", rssis, -300.0, 100.0);
    Check.range("rxpk.lsnr", lsnr, -100.0, 100.0);
    Check.range("rxpk.foff", foff, -1_000_000, 1_000_000);
    Check.range("rxpk.mid", mid, 0, 255);
    Check.range("rxpk.aesk", aesk, 0, 255);
    Check.range("rxpk.hpw", hpw, 0, 255);
    rsig = rsig == null ? List.of() : List.copyOf(rsig);
    Check.required("rxpk.data", data);
    Check.range("rxpk.size", data.length(), 0, MAX_PAYLOAD);
  }

  /** A minimal LoRa rxpk as a simple gateway sends it (CRC OK, channel 0, RF chain 0). */
  public static Rxpk lora(long tmst, long frequencyHz, int spreadingFactor, int bandwidthHz,
      double rssi, double lsnr, Bytes data) {
    return new Rxpk(null, null, tmst, null, frequencyHz, 0, 0, null, 1, Modulation.LORA,
        new Datr.LoRa(spreadingFactor, bandwidthHz), "4/5", rssi, null, lsnr, null, null, null,
        null, List.of(), data);
  }
}
