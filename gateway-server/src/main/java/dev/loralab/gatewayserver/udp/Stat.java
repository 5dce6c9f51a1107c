package dev.loralab.gatewayserver.udp;

/**
 * The {@code stat} object of a PUSH_DATA (PROTOCOL.TXT §4, sx1302 PROTOCOL.md, and the vendor
 * extras that gateways commonly add). All fields are {@code null} when absent.
 *
 * @param time gateway system time, as sent (e.g. {@code "2014-01-12 08:59:28 GMT"})
 * @param lati latitude, degrees
 * @param longi longitude, degrees ({@code long} on the wire)
 * @param alti altitude, metres
 * @param rxnb radio packets received
 * @param rxok received with a valid CRC
 * @param rxfw forwarded
 * @param ackr percentage of upstream datagrams acknowledged
 * @param dwnb downlink datagrams received
 * @param txnb packets emitted
 * @param temp temperature, °C
 * @param boot boot time, as sent
 * @param lmok Lora MAC packets OK (vendor extra)
 * @param lmst Lora MAC state time (vendor extra)
 * @param lmnw Lora MAC network time (vendor extra)
 * @param lpps PPS count (vendor extra)
 * @param fpga FPGA version
 * @param dsp DSP version
 * @param hal HAL version
 */
public record Stat(
    String time,
    Double lati,
    Double longi,
    Integer alti,
    Long rxnb,
    Long rxok,
    Long rxfw,
    Double ackr,
    Long dwnb,
    Long txnb,
    Double temp,
    String boot,
    Long lmok,
    Long lmst,
    Long lmnw,
    Long lpps,
    Long fpga,
    Long dsp,
    String hal) {

  private static final long MAX_COUNT = 0xFFFF_FFFFL;

  /** Validates the ranges. */
  public Stat {
    if (time != null && time.length() > 64) {
      throw Check.invalid("stat.time", "at most 64 characters", time.length() + " characters");
    }
    Check.range("stat.lati", lati, -90.0, 90.0);
    Check.range("stat.long", longi, -180.0, 180.0);
    Check.range("stat.alti", alti, -20_000, 100_000);
    Check.range("stat.rxnb", rxnb, 0, MAX_COUNT);
    Check.range("stat.rxok", rxok, 0, MAX_COUNT);
    Check.range("stat.rxfw", rxfw, 0, MAX_COUNT);
    Check.range("stat.ackr", ackr, 0.0, 100.0);
    Check.range("stat.dwnb", dwnb, 0, MAX_COUNT);
    Check.range("stat.txnb", txnb, 0, MAX_COUNT);
    Check.range("stat.temp", temp, -273.15, 500.0);
    if (boot != null && boot.length() > 64) {
      throw Check.invalid("stat.boot", "at most 64 characters", boot.length() + " characters");
    }
    Check.range("stat.lmok", lmok, 0, MAX_COUNT);
    Check.range("stat.lmst", lmst, 0, MAX_COUNT);
    Check.range("stat.lmnw", lmnw, 0, MAX_COUNT);
    Check.range("stat.lpps", lpps, 0, MAX_COUNT);
    Check.range("stat.fpga", fpga, 0, MAX_COUNT);
    Check.range("stat.dsp", dsp, 0, MAX_COUNT);
    if (hal != null && hal.length() > 64) {
      throw Check.invalid("stat.hal", "at most 64 characters", hal.length() + " characters");
    }
  }

  /** A status with the packet counters only. */
  public static Stat counters(String time, long rxnb, long rxok, long rxfw, double ackr, long dwnb,
      long txnb) {
    return new Stat(time, null, null, null, rxnb, rxok, rxfw, ackr, dwnb, txnb, null, null, null,
        null, null, null, null, null, null);
  }
}
