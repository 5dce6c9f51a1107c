package dev.loralab.gatewayserver.udp;

import dev.loralab.lorawan.Bytes;

/**
 * One element of an {@code rxpk.rsig} array: the signal as seen by one antenna. Boxed fields are
 * {@code null} when absent.
 *
 * @param ant antenna index, 0..255
 * @param chan IF channel
 * @param rssic channel RSSI, dBm
 * @param rssis signal RSSI, dBm
 * @param rssisd signal RSSI standard deviation, dB
 * @param lsnr SNR, dB
 * @param etime encrypted fine timestamp (base64 on the wire)
 * @param ftime fine timestamp, ns since the last PPS
 * @param foff frequency offset, Hz
 */
public record Rsig(int ant, Integer chan, Double rssic, Double rssis, Double rssisd, Double lsnr,
    Bytes etime, Long ftime, Long foff) {

  /** Validates the ranges. */
  public Rsig {
    Check.range("rsig.ant", ant, 0, 255);
    Check.range("rsig.chan", chan, 0, 255);
    Check.range("rsig.rssic", rssic, -300.0, 100.0);
    Check.range("rsig.rssis", rssis, -300.0, 100.0);
    Check.range("rsig.rssisd", rssisd, 0.0, 1000.0);
    Check.range("rsig.lsnr", lsnr, -100.0, 100.0);
    Check.range("rsig.ftime", ftime, 0, 999_999_999);
    Check.range("rsig.foff", foff, -1_000_000, 1_000_000);
  }

  /** An rsig with only the antenna, channel RSSI and SNR. */
  public static Rsig of(int ant, double rssic, double lsnr) {
    return new Rsig(ant, null, rssic, null, null, lsnr, null, null, null);
  }
}
