package dev.loralab.identityserver.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.MACState.UplinkQuality;
import dev.loralab.api.v3.Session;
import java.util.List;

/**
 * The change of a device by a data uplink, written as a merge instead of the whole device.
 *
 * <p>An uplink changes a few fields of a device of a kilobyte or more (its frame counter, its
 * last-seen time, one entry in and one out of the ADR history); encoding and storing the whole
 * device again for each was about a sixth of the stack's CPU at 20,000 uplinks/s (BENCHMARKS.md,
 * round 8). A protobuf message followed by the encoding of another parses as the first merged
 * with the second (singular fields: the last non-default occurrence wins; sub-messages merge;
 * repeated fields concatenate), so the store appends the encoding of just the changed fields to
 * the stored bytes ({@code Batch.merge}). {@link #between} returns that encoding where it
 * reproduces the new device exactly (read back through {@link EndDeviceStorage#settle}), and
 * null otherwise (the caller then writes the whole device):
 * <ul>
 *   <li>every field other than those below is unchanged (compared by identity, then equality);
 *   <li>the session's frame counter moved forward and only that changed in the session;
 *   <li>of the MAC state only {@code rx_windows_available}, {@code adr_ack_req_count} and the ADR
 *       history changed: the history is the previous one with at most one entry appended and
 *       the oldest dropped. The merge appends the new entry and sets
 *       {@code recent_uplinks_kept}, the length of the new history, and
 *       {@link EndDeviceStorage#settle} keeps that many newest entries when the device is read;
 *   <li>{@code updated_at} and {@code last_seen_at} changed to values a merge can set: a field
 *       that becomes 0 (or false, or absent) cannot be expressed by a merge.
 * </ul>
 *
 * <p>The stored bytes grow with each merge, so whole writes must come regularly: the caller
 * writes the whole device whenever {@link #between} is null, which it is at least every
 * {@link #MERGES_PER_WRITE} frame counter values (at a per-device offset, so that a fleet counting
 * in step does not write whole devices all at once).
 */
final class EndDeviceMerge {
  /** Frame counter values per block; an uplink that enters a new block writes the whole device. */
  static final int MERGES_PER_WRITE = 8;

  private EndDeviceMerge() {}

  /**
   * The encoding that, appended to {@code previous}'s stored bytes, stores {@code next} (read back
   * through {@link EndDeviceStorage#settle}); null if there is none (write {@code next} whole).
   *
   * @param key the device's store key (spreads the whole writes over the frame counter blocks)
   */
  static ByteString between(String key, EndDevice previous, EndDevice next) {
    if (!previous.hasSession() || !next.hasSession() || !previous.hasMacState()
        || !next.hasMacState()) {
      return null;
    }
    Session ps = previous.getSession();
    Session ns = next.getSession();
    long offset = key.hashCode() & (MERGES_PER_WRITE - 1);
    long fCnt = ns.getLastFCntUp() & 0xFFFFFFFFL;
    long previousFCnt = ps.getLastFCntUp() & 0xFFFFFFFFL;
    if (fCnt <= previousFCnt
        || (fCnt + offset) / MERGES_PER_WRITE != (previousFCnt + offset) / MERGES_PER_WRITE) {
      return null;
    }
    if (!unchangedExceptMerged(previous, next) || !sessionUnchangedExceptFCnt(ps, ns)) {
      return null;
    }
    MACState pm = previous.getMacState();
    MACState nm = next.getMacState();
    if (!macStateUnchangedExceptMerged(pm, nm)) {
      return null;
    }
    EndDevice.Builder merge = EndDevice.newBuilder()
        .setSession(Session.newBuilder().setLastFCntUp(ns.getLastFCntUp()));
    MACState.Builder mac = null;
    if (pm.getRxWindowsAvailable() != nm.getRxWindowsAvailable()) {
      if (!nm.getRxWindowsAvailable()) {
        return null; // false is the default: not in an encoding
      }
      mac = MACState.newBuilder().setRxWindowsAvailable(true);
    }
    if (pm.getAdrAckReqCount() != nm.getAdrAckReqCount()) {
      if (nm.getAdrAckReqCount() == 0) {
        return null;
      }
      mac = (mac != null ? mac : MACState.newBuilder()).setAdrAckReqCount(nm.getAdrAckReqCount());
    }
    List<UplinkQuality> pu = pm.getRecentUplinksList();
    List<UplinkQuality> nu = nm.getRecentUplinksList();
    if (pu != nu) {
      UplinkQuality appended = appendedEntry(pu, nu);
      if (appended == null) {
        return null;
      }
      mac = (mac != null ? mac : MACState.newBuilder()).addRecentUplinks(appended)
          .setRecentUplinksKept(nu.size());
    }
    if (mac != null) {
      merge.setMacState(mac);
    }
    if (!timestamp(previous.hasUpdatedAt(), previous.getUpdatedAt(), next.hasUpdatedAt(),
        next.getUpdatedAt())) {
      return null;
    }
    if (next.hasUpdatedAt() && next.getUpdatedAt() != previous.getUpdatedAt()) {
      merge.setUpdatedAt(next.getUpdatedAt());
    }
    if (!timestamp(previous.hasLastSeenAt(), previous.getLastSeenAt(), next.hasLastSeenAt(),
        next.getLastSeenAt())) {
      return null;
    }
    if (next.hasLastSeenAt() && next.getLastSeenAt() != previous.getLastSeenAt()) {
      merge.setLastSeenAt(next.getLastSeenAt());
    }
    return merge.build().toByteString();
  }

  /**
   * The entry {@code next} appended to {@code previous} (dropping any number of the oldest), or
   * null if {@code next} is not such a history.
   */
  private static UplinkQuality appendedEntry(List<UplinkQuality> previous,
      List<UplinkQuality> next) {
    int kept = next.size() - 1; // entries of previous that remain
    if (kept < 0 || kept > previous.size()) {
      return null;
    }
    int from = previous.size() - kept;
    for (int i = 0; i < kept; i++) {
      if (!same(previous.get(from + i), next.get(i))) {
        return null;
      }
    }
    return next.get(kept);
  }

  /**
   * Whether a timestamp field, if changed, changed to a value that merging its encoding sets:
   * present in {@code next}, and neither of its fields back to 0.
   */
  private static boolean timestamp(boolean hadIt, Timestamp previous, boolean hasIt,
      Timestamp next) {
    if (hadIt == hasIt && same(previous, next)) {
      return true;
    }
    if (!hasIt) {
      return false;
    }
    return !hadIt || (next.getSeconds() != 0 || previous.getSeconds() == 0)
        && (next.getNanos() != 0 || previous.getNanos() == 0);
  }

  private static boolean same(Object a, Object b) {
    return a == b || a.equals(b);
  }

  /** Every field of the devices but session, MAC state, updated_at and last_seen_at. */
  private static boolean unchangedExceptMerged(EndDevice p, EndDevice n) {
    return p.hasIds() == n.hasIds() && same(p.getIds(), n.getIds())
        && p.hasCreatedAt() == n.hasCreatedAt() && same(p.getCreatedAt(), n.getCreatedAt())
        && same(p.getName(), n.getName())
        && same(p.getDescription(), n.getDescription())
        && same(p.getAttributesMap(), n.getAttributesMap())
        && p.getLorawanVersionValue() == n.getLorawanVersionValue()
        && p.getLorawanPhyVersionValue() == n.getLorawanPhyVersionValue()
        && same(p.getFrequencyPlanId(), n.getFrequencyPlanId())
        && p.getSupportsClassB() == n.getSupportsClassB()
        && p.getSupportsClassC() == n.getSupportsClassC()
        && p.getSupportsJoin() == n.getSupportsJoin()
        && p.hasRootKeys() == n.hasRootKeys() && same(p.getRootKeys(), n.getRootKeys())
        && same(p.getNetId(), n.getNetId())
        && p.hasMacSettings() == n.hasMacSettings() && same(p.getMacSettings(), n.getMacSettings())
        && p.hasPendingMacState() == n.hasPendingMacState()
        && same(p.getPendingMacState(), n.getPendingMacState())
        && p.hasPendingSession() == n.hasPendingSession()
        && same(p.getPendingSession(), n.getPendingSession())
        && p.getLastDevNonce() == n.getLastDevNonce()
        && same(p.getUsedDevNoncesList(), n.getUsedDevNoncesList())
        && p.getLastJoinNonce() == n.getLastJoinNonce()
        && p.getLastRjCount0() == n.getLastRjCount0()
        && p.getLastRjCount1() == n.getLastRjCount1()
        && p.hasLastDevStatusReceivedAt() == n.hasLastDevStatusReceivedAt()
        && same(p.getLastDevStatusReceivedAt(), n.getLastDevStatusReceivedAt())
        && p.getPowerStateValue() == n.getPowerStateValue()
        && Float.floatToIntBits(p.getBatteryPercentage())
            == Float.floatToIntBits(n.getBatteryPercentage())
        && p.getDownlinkMargin() == n.getDownlinkMargin()
        && p.hasFormatters() == n.hasFormatters() && same(p.getFormatters(), n.getFormatters())
        && same(p.getLocationsMap(), n.getLocationsMap())
        && p.getSimulated() == n.getSimulated();
  }

  /** Every field of the sessions but the uplink frame counter. */
  private static boolean sessionUnchangedExceptFCnt(Session p, Session n) {
    return same(p.getDevAddr(), n.getDevAddr())
        && p.hasKeys() == n.hasKeys() && same(p.getKeys(), n.getKeys())
        && p.getLastNFCntDown() == n.getLastNFCntDown()
        && p.getLastAFCntDown() == n.getLastAFCntDown()
        && p.getLastConfFCntDown() == n.getLastConfFCntDown()
        && p.hasStartedAt() == n.hasStartedAt() && same(p.getStartedAt(), n.getStartedAt())
        && same(p.getQueuedApplicationDownlinksList(), n.getQueuedApplicationDownlinksList());
  }

  /**
   * Every field of the MAC states but rx_windows_available, adr_ack_req_count and the ADR
   * history; neither carries a storage-only field (EndDeviceStorage).
   */
  private static boolean macStateUnchangedExceptMerged(MACState p, MACState n) {
    return p.hasCurrentParameters() == n.hasCurrentParameters()
        && same(p.getCurrentParameters(), n.getCurrentParameters())
        && p.hasDesiredParameters() == n.hasDesiredParameters()
        && same(p.getDesiredParameters(), n.getDesiredParameters())
        && p.getDeviceClassValue() == n.getDeviceClassValue()
        && p.getLorawanVersionValue() == n.getLorawanVersionValue()
        && p.hasLastConfirmedDownlinkAt() == n.hasLastConfirmedDownlinkAt()
        && same(p.getLastConfirmedDownlinkAt(), n.getLastConfirmedDownlinkAt())
        && p.getLastDevStatusFCntUp() == n.getLastDevStatusFCntUp()
        && p.hasLastDevStatusAt() == n.hasLastDevStatusAt()
        && same(p.getLastDevStatusAt(), n.getLastDevStatusAt())
        && same(p.getPendingRequestsList(), n.getPendingRequestsList())
        && same(p.getQueuedResponsesList(), n.getQueuedResponsesList())
        && same(p.getQueuedRequestsList(), n.getQueuedRequestsList())
        && p.getPingSlotPeriodicitySet() == n.getPingSlotPeriodicitySet()
        && p.hasLastDownlinkAt() == n.hasLastDownlinkAt()
        && same(p.getLastDownlinkAt(), n.getLastDownlinkAt())
        && p.hasLastNetworkInitiatedDownlinkAt() == n.hasLastNetworkInitiatedDownlinkAt()
        && same(p.getLastNetworkInitiatedDownlinkAt(), n.getLastNetworkInitiatedDownlinkAt())
        && p.hasPendingApplicationDownlink() == n.hasPendingApplicationDownlink()
        && same(p.getPendingApplicationDownlink(), n.getPendingApplicationDownlink())
        && p.getRecentUplinksKept() == 0 && n.getRecentUplinksKept() == 0
        && p.getRecentUplinksPacked().isEmpty() && n.getRecentUplinksPacked().isEmpty()
        && !p.getDesiredParametersAsCurrent() && !n.getDesiredParametersAsCurrent();
  }
}
