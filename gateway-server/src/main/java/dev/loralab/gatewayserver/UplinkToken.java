package dev.loralab.gatewayserver;

import dev.loralab.api.ApiException;
import dev.loralab.lorawan.Eui64;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * What a class A downlink needs to find its way back: which gateway and antenna heard the uplink,
 * the concentrator {@code tmst}, the server time of reception and the uplink radio settings (for
 * the RX1 frequency and data rate). Opaque to the Network Server ({@code RxMetadata.uplink_token}).
 *
 * <p>Binary format, big-endian, 44 bytes:
 * <pre>
 *  0  1 format (1)          14  8 received at, ns since the epoch   31 1 spreading factor (LoRa)
 *  1  8 gateway EUI         22  8 uplink frequency, Hz              32 4 bandwidth Hz / FSK bit rate
 *  9  1 antenna index       30  1 modulation: 0 LoRa, 1 FSK         36 8 connection serial
 * 10  4 tmst
 * </pre>
 *
 * @param gatewayEui the gateway that received the uplink
 * @param antennaIndex antenna, 0..255
 * @param tmst concentrator counter at the end of the uplink
 * @param receivedAt server time of reception
 * @param uplinkFrequencyHz uplink frequency
 * @param lora true for LoRa, false for FSK
 * @param spreadingFactor LoRa spreading factor (0 for FSK)
 * @param bandwidthOrBitRate LoRa bandwidth in Hz, or FSK bit rate
 * @param connectionSerial serial number of the gateway connection that received it
 */
public record UplinkToken(Eui64 gatewayEui, int antennaIndex, long tmst, Instant receivedAt,
    long uplinkFrequencyHz, boolean lora, int spreadingFactor, int bandwidthOrBitRate,
    long connectionSerial) {

  /** Encoded length. */
  public static final int SIZE = 44;
  private static final int FORMAT = 1;

  /** Validates the fields. */
  public UplinkToken {
    Objects.requireNonNull(gatewayEui, "gatewayEui");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (antennaIndex < 0 || antennaIndex > 255) {
      throw ApiException.invalidArgument("uplink_token.antenna_index", "expected 0..255, found "
          + antennaIndex);
    }
    if (tmst < 0 || tmst > 0xFFFF_FFFFL) {
      throw ApiException.invalidArgument("uplink_token.timestamp", "expected 0..4294967295, found "
          + tmst);
    }
    if (uplinkFrequencyHz <= 0) {
      throw ApiException.invalidArgument("uplink_token.frequency", "expected > 0, found "
          + uplinkFrequencyHz);
    }
    if (lora ? spreadingFactor < 5 || spreadingFactor > 12 : spreadingFactor != 0) {
      throw ApiException.invalidArgument("uplink_token.spreading_factor",
          "expected 5..12 for LoRa, 0 for FSK, found " + spreadingFactor);
    }
    if (bandwidthOrBitRate <= 0) {
      throw ApiException.invalidArgument("uplink_token.bandwidth", "expected > 0, found "
          + bandwidthOrBitRate);
    }
  }

  /** The 44-byte encoding. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.put((byte) FORMAT);
    b.putLong(gatewayEui.value());
    b.put((byte) antennaIndex);
    b.putInt((int) tmst);
    b.putLong(receivedAt.getEpochSecond() * 1_000_000_000L + receivedAt.getNano());
    b.putLong(uplinkFrequencyHz);
    b.put((byte) (lora ? 0 : 1));
    b.put((byte) spreadingFactor);
    b.putInt(bandwidthOrBitRate);
    b.putLong(connectionSerial);
    return b.array();
  }

  /**
   * Parses a token.
   *
   * @throws ApiException INVALID_ARGUMENT if it is not a token this server issued
   */
  public static UplinkToken parse(byte[] bytes) {
    if (bytes == null || bytes.length != SIZE) {
      throw ApiException.invalidArgument("uplink_token", "expected " + SIZE + " bytes, found "
          + (bytes == null ? "none" : bytes.length + " bytes"));
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int format = b.get() & 0xFF;
    if (format != FORMAT) {
      throw ApiException.invalidArgument("uplink_token", "expected format 1, found " + format);
    }
    Eui64 eui = new Eui64(b.getLong());
    int antenna = b.get() & 0xFF;
    long tmst = b.getInt() & 0xFFFF_FFFFL;
    long nanos = b.getLong();
    long frequency = b.getLong();
    int modulation = b.get() & 0xFF;
    if (modulation > 1) {
      throw ApiException.invalidArgument("uplink_token.modulation", "expected 0 or 1, found "
          + modulation);
    }
    int sf = b.get() & 0xFF;
    int bw = b.getInt();
    long serial = b.getLong();
    return new UplinkToken(eui, antenna, tmst,
        Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
            Math.floorMod(nanos, 1_000_000_000L)),
        frequency, modulation == 0, sf, bw, serial);
  }
}
