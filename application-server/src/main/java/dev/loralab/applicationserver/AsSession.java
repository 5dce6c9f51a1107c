package dev.loralab.applicationserver;

import com.google.protobuf.ByteString;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import java.util.Objects;

/**
 * The Application Server's state of one device session: durable.
 *
 * @param sessionKeyId the Join Server's session key ID (empty for ABP devices without one)
 * @param appSKey the AppSKey (never logged: {@link AesKey#toString()} hides it)
 * @param devAddr the session's DevAddr
 * @param lastAFCntDown the last application downlink frame counter assigned (0 before the first)
 */
public record AsSession(ByteString sessionKeyId, AesKey appSKey, DevAddr devAddr,
    long lastAFCntDown) {

  /** Largest 32-bit frame counter. */
  public static final long MAX_F_CNT = 0xFFFF_FFFFL;

  /** Validates non-null components and a 32-bit counter. */
  public AsSession {
    Objects.requireNonNull(sessionKeyId, "sessionKeyId");
    Objects.requireNonNull(appSKey, "appSKey");
    Objects.requireNonNull(devAddr, "devAddr");
    if (lastAFCntDown < 0 || lastAFCntDown > MAX_F_CNT) {
      throw new IllegalArgumentException("lastAFCntDown: expected 0.." + MAX_F_CNT + ", found "
          + lastAFCntDown);
    }
  }

  /** This session with another last AFCntDown. */
  public AsSession withLastAFCntDown(long v) {
    return new AsSession(sessionKeyId, appSKey, devAddr, v);
  }

  /** Whether an uplink or downlink naming {@code id} belongs to this session (empty matches). */
  public boolean matches(ByteString id) {
    return id.isEmpty() || id.equals(sessionKeyId);
  }
}
