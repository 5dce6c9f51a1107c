package dev.loralab.api;

import dev.loralab.api.v3.EndDevice;

/**
 * Copies of {@link EndDevice} messages to change. A device is updated on every uplink, and
 * {@code toBuilder()} copies its two map fields even when they are empty; {@link #builderOf}
 * does not.
 */
public final class EndDeviceCopies {

  private EndDeviceCopies() {}

  /** Above this many used DevNonces, {@link #builderOf} shares the list via toBuilder. */
  private static final int MAX_COPIED_DEV_NONCES = 16;

  /**
   * A builder holding {@code d}'s fields, as {@code d.toBuilder()} but without copying the
   * {@code attributes} and {@code locations} maps when they are empty: {@code toBuilder} copies
   * both map fields unconditionally (a mutable map, a view and an iterator each, on every
   * update of a device), though they are hardly ever set. A device with a non-empty map (or a
   * long list of used DevNonces, which toBuilder shares rather than copies) gets
   * {@code d.toBuilder()}. Every field of {@code EndDevice} is copied (EndDeviceCopiesTest checks this
   * field by field from the descriptor, so a field added to the proto fails it until handled).
   */
  public static EndDevice.Builder builderOf(EndDevice d) {
    if (d.getAttributesCount() > 0 || d.getLocationsCount() > 0
        || d.getUsedDevNoncesCount() > MAX_COPIED_DEV_NONCES) {
      return d.toBuilder();
    }
    EndDevice.Builder b = EndDevice.newBuilder();
    if (d.hasIds()) {
      b.setIds(d.getIds());
    }
    if (d.hasCreatedAt()) {
      b.setCreatedAt(d.getCreatedAt());
    }
    if (d.hasUpdatedAt()) {
      b.setUpdatedAt(d.getUpdatedAt());
    }
    if (!d.getName().isEmpty()) {
      b.setName(d.getName());
    }
    if (!d.getDescription().isEmpty()) {
      b.setDescription(d.getDescription());
    }
    if (d.getLorawanVersionValue() != 0) {
      b.setLorawanVersionValue(d.getLorawanVersionValue());
    }
    if (d.getLorawanPhyVersionValue() != 0) {
      b.setLorawanPhyVersionValue(d.getLorawanPhyVersionValue());
    }
    if (!d.getFrequencyPlanId().isEmpty()) {
      b.setFrequencyPlanId(d.getFrequencyPlanId());
    }
    if (d.getSupportsClassB()) {
      b.setSupportsClassB(true);
    }
    if (d.getSupportsClassC()) {
      b.setSupportsClassC(true);
    }
    if (d.getSupportsJoin()) {
      b.setSupportsJoin(true);
    }
    if (d.hasRootKeys()) {
      b.setRootKeys(d.getRootKeys());
    }
    if (!d.getNetId().isEmpty()) {
      b.setNetId(d.getNetId());
    }
    if (d.hasMacSettings()) {
      b.setMacSettings(d.getMacSettings());
    }
    if (d.hasMacState()) {
      b.setMacState(d.getMacState());
    }
    if (d.hasPendingMacState()) {
      b.setPendingMacState(d.getPendingMacState());
    }
    if (d.hasSession()) {
      b.setSession(d.getSession());
    }
    if (d.hasPendingSession()) {
      b.setPendingSession(d.getPendingSession());
    }
    if (d.getLastDevNonce() != 0) {
      b.setLastDevNonce(d.getLastDevNonce());
    }
    if (d.getUsedDevNoncesCount() > 0) {
      b.addAllUsedDevNonces(d.getUsedDevNoncesList());
    }
    if (d.getLastJoinNonce() != 0) {
      b.setLastJoinNonce(d.getLastJoinNonce());
    }
    if (d.getLastRjCount0() != 0) {
      b.setLastRjCount0(d.getLastRjCount0());
    }
    if (d.getLastRjCount1() != 0) {
      b.setLastRjCount1(d.getLastRjCount1());
    }
    if (d.hasLastDevStatusReceivedAt()) {
      b.setLastDevStatusReceivedAt(d.getLastDevStatusReceivedAt());
    }
    if (d.getPowerStateValue() != 0) {
      b.setPowerStateValue(d.getPowerStateValue());
    }
    if (Float.floatToRawIntBits(d.getBatteryPercentage()) != 0) {
      b.setBatteryPercentage(d.getBatteryPercentage());
    }
    if (d.getDownlinkMargin() != 0) {
      b.setDownlinkMargin(d.getDownlinkMargin());
    }
    if (d.hasFormatters()) {
      b.setFormatters(d.getFormatters());
    }
    if (d.hasLastSeenAt()) {
      b.setLastSeenAt(d.getLastSeenAt());
    }
    if (d.getSimulated()) {
      b.setSimulated(true);
    }
    if (!d.getUnknownFields().asMap().isEmpty()) {
      b.setUnknownFields(d.getUnknownFields());
    }
    return b;
  }
}
