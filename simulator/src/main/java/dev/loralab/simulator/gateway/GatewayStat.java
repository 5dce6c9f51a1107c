package dev.loralab.simulator.gateway;

import java.time.Instant;

/**
 * Gateway status: the {@code stat} object of PUSH_DATA (Semtech PROTOCOL.TXT §4).
 *
 * @param time gateway system time (second resolution on the wire)
 * @param latitude degrees, north positive
 * @param longitude degrees, east positive
 * @param altitude metres
 * @param rxnb frames received
 * @param rxok frames received with a valid CRC
 * @param rxfw frames forwarded
 * @param ackr percentage of upstream datagrams acknowledged
 * @param dwnb downlinks received from the server
 * @param txnb frames emitted
 */
public record GatewayStat(Instant time, double latitude, double longitude, int altitude, long rxnb, long rxok,
    long rxfw, double ackr, long dwnb, long txnb) {

  /** Validates the ranges. */
  public GatewayStat {
    if (time == null) {
      throw new SemtechUdpException("stat.time", "a time", "nothing");
    }
    if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
      throw new SemtechUdpException("stat.lati/long", "a position on earth", latitude + "/" + longitude);
    }
    if (!(ackr >= 0 && ackr <= 100)) {
      throw new SemtechUdpException("stat.ackr", "0..100", Double.toString(ackr));
    }
  }
}
