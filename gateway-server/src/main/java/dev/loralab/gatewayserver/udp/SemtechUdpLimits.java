package dev.loralab.gatewayserver.udp;

/**
 * Size limits applied before and during decoding.
 *
 * @param maxDatagramBytes largest accepted datagram
 * @param maxRxpkPerPushData largest {@code rxpk} array
 * @param maxRsigPerRxpk largest {@code rsig} array
 * @param maxJsonNesting deepest accepted JSON nesting
 */
public record SemtechUdpLimits(int maxDatagramBytes, int maxRxpkPerPushData, int maxRsigPerRxpk,
    int maxJsonNesting) {

  /** Defaults: 16 KiB datagrams, 64 rxpk, 16 rsig, nesting 8. */
  public static final SemtechUdpLimits DEFAULT = new SemtechUdpLimits(16 * 1024, 64, 16, 8);

  /** Validates that every limit is positive and the datagram fits a UDP payload. */
  public SemtechUdpLimits {
    if (maxDatagramBytes < 12 || maxDatagramBytes > 65_507) {
      throw new IllegalArgumentException("maxDatagramBytes: expected 12..65507, found "
          + maxDatagramBytes);
    }
    if (maxRxpkPerPushData < 1 || maxRsigPerRxpk < 1 || maxJsonNesting < 3) {
      throw new IllegalArgumentException("limits: expected rxpk >= 1, rsig >= 1, nesting >= 3");
    }
  }
}
