package dev.loralab.networkserver.internal;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.frequencyplans.Band;
import dev.loralab.lorawan.FCnt;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.frame.DataFrame;
import java.util.Arrays;
import java.util.Optional;

/**
 * Decides whether a data uplink belongs to a device: for its current and its pending session with
 * the frame's DevAddr, rebuilds the 32-bit FCntUp, checks the MIC (LoRaWAN 1.0.x §4.4, 1.1
 * §4.4.2) and rejects replays and gaps over MAX_FCNT_GAP. Pure function.
 */
public final class UplinkMatcher {

  private UplinkMatcher() {}

  /** The outcome for one device. */
  public sealed interface Result permits Matched, Retransmission, Rejected {}

  /**
   * The frame is a retransmission of the device's last confirmed uplink (same FCntUp, valid MIC):
   * not processed again, but acknowledged, since the device retransmits because it missed the
   * ACK.
   *
   * @param fCnt32 the full FCntUp
   * @param dataRate the uplink's data rate index in the band
   */
  public record Retransmission(long fCnt32, int dataRate) implements Result {}

  /**
   * The frame belongs to the device.
   *
   * @param pending true if it matched the pending session (which it now confirms)
   * @param fCnt32 the full FCntUp
   * @param keys the session's network keys
   * @param version the device's LoRaWAN version
   * @param dataRate the uplink's data rate index in the band
   */
  public record Matched(boolean pending, long fCnt32, SessionKeyRing keys, MacVersion version,
      int dataRate) implements Result {}

  /**
   * The frame does not belong to the device, or must be dropped.
   *
   * @param reason metric label: {@code mic_mismatch}, {@code f_cnt_too_low}, {@code f_cnt_gap},
   *     {@code no_session}, {@code invalid_session}
   * @param message the error message for the drop event
   * @param keysMatched true if the MIC proved the frame came from this device
   */
  public record Rejected(String reason, String message, boolean keysMatched) implements Result {}

  /** Matches {@code frame} (received as {@code raw}) against {@code device}. */
  public static Result match(EndDevice device, DataFrame frame, byte[] raw, UplinkMessage up,
      Band band, int maxFCntGap) {
    return match(device, frame, frame.devAddr().toString(), raw, up, band, maxFCntGap);
  }

  /**
   * As {@link #match(EndDevice, DataFrame, byte[], UplinkMessage, Band, int)}, with the frame's
   * DevAddr as {@code addr} ({@code frame.devAddr().toString()}, formatted once per uplink by the
   * caller).
   */
  public static Result match(EndDevice device, DataFrame frame, String addr, byte[] raw,
      UplinkMessage up, Band band, int maxFCntGap) {
    Optional<MacVersion> version = Protos.macVersion(device.getLorawanVersion());
    if (version.isEmpty()) {
      return new Rejected("invalid_session", "device has no LoRaWAN version", false);
    }
    var rate = Protos.dataRate(up.getSettings().getDataRate());
    int dataRate = rate.isPresent() ? band.dataRateIndex(rate.get()).orElse(0) : 0;
    Rejected best = null;
    if (device.hasSession() && sameDevAddr(addr, device.getSession().getDevAddr())) {
      Result r = matchSession(device, device.getSession(), false, frame, raw, up, band,
          version.get(), dataRate, maxFCntGap);
      if (r instanceof Matched || r instanceof Retransmission) {
        return r;
      }
      best = (Rejected) r;
    }
    if (device.hasPendingSession()
        && sameDevAddr(addr, device.getPendingSession().getDevAddr())) {
      Result r = matchSession(device, device.getPendingSession(), true, frame, raw, up, band,
          version.get(), dataRate, maxFCntGap);
      if (r instanceof Matched) {
        return r;
      }
      if (best == null || (!best.keysMatched() && ((Rejected) r).keysMatched())) {
        best = (Rejected) r;
      }
    }
    return best != null ? best
        : new Rejected("no_session", "no session with DevAddr " + addr, false);
  }

  /** Whether a session's DevAddr is {@code addr}, in any case (stored ones are as formatted). */
  private static boolean sameDevAddr(String addr, String sessionAddr) {
    return addr.equals(sessionAddr) || addr.equalsIgnoreCase(sessionAddr);
  }

  private static Result matchSession(EndDevice device, Session session, boolean pending,
      DataFrame frame, byte[] raw, UplinkMessage up, Band band, MacVersion version,
      int dataRate, int maxFCntGap) {
    SessionKeyRing keys;
    try {
      keys = SessionKeyRing.of(session, version.is1_1());
    } catch (LoRaWanException e) {
      return new Rejected("invalid_session", e.getMessage(), false);
    }
    long last = session.getLastFCntUp() & 0xFFFF_FFFFL;
    boolean anyUplink = !pending && (last > 0 || device.getMacState().getRecentUplinksCount() > 0);
    long next = anyUplink ? (last + 1) & FCnt.MAX : 0;
    byte[] msg = Arrays.copyOf(raw, raw.length - Mic.SIZE);
    int confFCnt = frame.fHdr().fCtrl().ack() ? session.getLastConfFCntDown() & 0xFFFF : 0;
    // TxCh (1.1 §4.4) is an index into the channels of this session's MAC state: a pending
    // session (a new join) has its own, the device may have none yet
    // (only the 1.1 MIC covers it)
    int txCh = 0;
    if (version.is1_1()) {
      MACState macState = pending && device.hasPendingMacState() ? device.getPendingMacState()
          : device.getMacState();
      txCh = channelIndex(macState.getCurrentParameters(), band, up);
    }
    long forward = FCnt.reconstructFromNextExpected(next, frame.fCnt());
    if (forward >= next && micMatches(keys, version, frame, msg, forward, confFCnt, dataRate,
        txCh)) {
      if (forward - next > maxFCntGap) {
        return new Rejected("f_cnt_gap", "FCnt gap too large: frame counter " + forward
            + ", expected " + next + " (MAX_FCNT_GAP " + maxFCntGap + ")", true);
      }
      return new Matched(pending, forward, keys, version, dataRate);
    }
    // a replay: the same 16 bits below the next expected counter
    long replay = ((next - 1) & ~0xFFFFL) | frame.fCnt();
    if (replay > next - 1) {
      replay -= 0x10000;
    }
    if (next > 0 && replay >= 0
        && micMatches(keys, version, frame, msg, replay, confFCnt, dataRate, txCh)) {
      if (replay == next - 1 && frame.confirmed()) {
        return new Retransmission(replay, dataRate);
      }
      return new Rejected("f_cnt_too_low", "FCnt too low: frame counter " + replay
          + ", expected at least " + next, true);
    }
    return new Rejected("mic_mismatch", "MIC mismatch for DevAddr " + frame.devAddr()
        + " (FCnt " + forward + ")", false);
  }

  private static boolean micMatches(SessionKeyRing keys, MacVersion version, DataFrame frame,
      byte[] msg, long fCnt32, int confFCnt, int txDr, int txCh) {
    Mic expected = version.is1_1()
        ? Mics.dataUplinkMic11(keys.sNwkSIntKey(), keys.fNwkSIntKey(), confFCnt, txDr & 0xFF,
            txCh & 0xFF, frame.devAddr(), fCnt32, msg)
        : Mics.dataUplinkMic10(keys.fNwkSIntKey(), frame.devAddr(), fCnt32, msg);
    return Mics.equalsConstantTime(expected, frame.mic());
  }

  /** The uplink's channel index: among the device's channels, else the band's, else as given. */
  public static int channelIndex(MACParameters params, Band band, UplinkMessage up) {
    long f = up.getSettings().getFrequency();
    for (int i = 0; i < params.getChannelsCount(); i++) {
      if (params.getChannels(i).getUplinkFrequency() == f) {
        return i;
      }
    }
    for (int i = 0; i < band.uplinkChannels().size(); i++) {
      if (band.uplinkChannels().get(i).frequencyHz() == f) {
        return i;
      }
    }
    return up.getDeviceChannelIndex();
  }
}
