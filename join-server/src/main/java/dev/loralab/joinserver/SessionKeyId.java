package dev.loralab.joinserver;

import dev.loralab.lorawan.Bytes;

/**
 * The identifier of one set of session keys issued at a join: 16 bytes (a ULID: 48-bit
 * millisecond timestamp then 80 random bits). The Application Server quotes it to fetch the
 * AppSKey ({@code AsJs.GetAppSKey}).
 *
 * @param value the 16 bytes
 */
public record SessionKeyId(Bytes value) {

  /** Length in bytes. */
  public static final int SIZE = 16;

  /** Validates the length. */
  public SessionKeyId {
    if (value == null) {
      throw new JoinServerException("session_key_id", SIZE + " bytes", "null");
    }
    if (value.length() != SIZE) {
      throw new JoinServerException("session_key_id", SIZE + " bytes", value.length() + " bytes");
    }
  }

  /** Copies 16 bytes into an identifier. */
  public static SessionKeyId of(byte[] b) {
    if (b == null) {
      throw new JoinServerException("session_key_id", SIZE + " bytes", "null");
    }
    return new SessionKeyId(Bytes.of(b));
  }

  /** A copy of the bytes. */
  public byte[] toBytes() {
    return value.toArray();
  }

  /** Uppercase hex. */
  @Override
  public String toString() {
    return value.toString();
  }
}
