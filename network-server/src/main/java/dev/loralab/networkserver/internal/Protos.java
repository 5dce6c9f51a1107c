package dev.loralab.networkserver.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.DataRate;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.FHDR;
import dev.loralab.api.v3.FSKDataRate;
import dev.loralab.api.v3.JoinRequestPayload;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.MACPayload;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.MHDR;
import dev.loralab.api.v3.MType;
import dev.loralab.api.v3.Message;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.JoinRequest;
import java.time.Instant;
import java.util.Optional;

/** Conversions between protocol values and API protos. */
public final class Protos {

  private Protos() {}

  /** The LoRaWAN version of an API enum, empty for MAC_UNKNOWN. */
  public static Optional<MacVersion> macVersion(MACVersion v) {
    return switch (v) {
      case MAC_V1_0 -> Optional.of(MacVersion.V1_0);
      case MAC_V1_0_1 -> Optional.of(MacVersion.V1_0_1);
      case MAC_V1_0_2 -> Optional.of(MacVersion.V1_0_2);
      case MAC_V1_0_3 -> Optional.of(MacVersion.V1_0_3);
      case MAC_V1_0_4 -> Optional.of(MacVersion.V1_0_4);
      case MAC_V1_1 -> Optional.of(MacVersion.V1_1);
      default -> Optional.empty();
    };
  }

  /** A timestamp proto. */
  public static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  /** An instant from a timestamp proto. */
  public static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** Event identifiers of a device, with {@code dev_addr} when given. */
  public static EntityIdentifiers entity(EndDeviceIdentifiers ids, String devAddr) {
    EndDeviceIdentifiers device = ids;
    if (devAddr != null && !devAddr.isEmpty() && !devAddr.equals(ids.getDevAddr())) {
      device = ids.toBuilder().setDevAddr(devAddr).build();
    }
    // the identifiers as given when they already carry the DevAddr (as a device's do after its
    // first uplink): an equal message without a copy
    return EntityIdentifiers.newBuilder().setDeviceIds(device).build();
  }

  /** Event identifiers of a device with the DevAddr of its session (or pending session). */
  public static EntityIdentifiers entity(EndDevice d) {
    String addr = d.hasSession() ? d.getSession().getDevAddr()
        : d.hasPendingSession() ? d.getPendingSession().getDevAddr() : d.getIds().getDevAddr();
    return entity(d.getIds(), addr);
  }

  /** A frequency-plans data rate as an API data rate. */
  public static DataRate dataRate(dev.loralab.frequencyplans.DataRate dr) {
    return switch (dr.modulation()) {
      case LORA -> DataRate.newBuilder().setLora(LoRaDataRate.newBuilder()
          .setBandwidth(dr.bandwidthHz()).setSpreadingFactor(dr.spreadingFactor())).build();
      case FSK -> DataRate.newBuilder().setFsk(FSKDataRate.newBuilder().setBitRate(dr.fskBitRate()))
          .build();
      case LR_FHSS -> DataRate.getDefaultInstance();
    };
  }

  /** An API data rate as a frequency-plans data rate, if it is LoRa or FSK. */
  public static Optional<dev.loralab.frequencyplans.DataRate> dataRate(DataRate dr) {
    try {
      if (dr.hasLora()) {
        return Optional.of(dev.loralab.frequencyplans.DataRate.lora(
            dr.getLora().getSpreadingFactor(), dr.getLora().getBandwidth()));
      }
      if (dr.hasFsk()) {
        return Optional.of(dev.loralab.frequencyplans.DataRate.fsk(dr.getFsk().getBitRate()));
      }
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The decoded form of a join-request, for event data. */
  public static Message joinRequestMessage(JoinRequest jr) {
    return Message.newBuilder()
        .setMHdr(MHDR.newBuilder().setMType(MType.JOIN_REQUEST))
        .setMic(ByteString.copyFrom(jr.mic().toBytes()))
        .setJoinRequestPayload(JoinRequestPayload.newBuilder()
            .setJoinEui(jr.joinEui().toString()).setDevEui(jr.devEui().toString())
            .setDevNonce(jr.devNonce().toString()))
        .build();
  }

  /** The decoded form of a data frame, for event data. */
  public static Message dataMessage(DataFrame f, long fullFCnt) {
    return dataMessage(f, f.devAddr().toString(), fullFCnt);
  }

  /**
   * As {@link #dataMessage(DataFrame, long)}, with the frame's DevAddr as {@code devAddr}
   * ({@code f.devAddr().toString()}).
   */
  public static Message dataMessage(DataFrame f, String devAddr, long fullFCnt) {
    // Bytes.toArray and Mic.toBytes are fresh copies that nothing else holds: wrapped, not copied
    FHDR.Builder h = FHDR.newBuilder().setDevAddr(devAddr).setFCnt(f.fCnt())
        .setFOpts(f.fHdr().fOpts().isEmpty() ? ByteString.EMPTY
            : UnsafeByteOperations.unsafeWrap(f.fHdr().fOpts().toArray()));
    dev.loralab.api.v3.FCtrl.Builder c = dev.loralab.api.v3.FCtrl.newBuilder()
        .setAdr(f.fHdr().fCtrl().adr()).setAck(f.fHdr().fCtrl().ack());
    if (f.fHdr().fCtrl() instanceof FCtrl.Uplink u) {
      c.setAdrAckReq(u.adrAckReq()).setClassB(u.classB());
    } else if (f.fHdr().fCtrl() instanceof FCtrl.Downlink d) {
      c.setFPending(d.fPending());
    }
    h.setFCtrl(c);
    MACPayload.Builder mp = MACPayload.newBuilder().setFHdr(h)
        .setFrmPayload(f.frmPayload().isEmpty() ? ByteString.EMPTY
            : UnsafeByteOperations.unsafeWrap(f.frmPayload().toArray()))
        .setFullFCnt((int) fullFCnt);
    f.fPort().ifPresent(mp::setFPort);
    return Message.newBuilder()
        .setMHdr(MHDR.newBuilder().setMType(MType.forNumber(f.mType().bits())))
        .setMic(UnsafeByteOperations.unsafeWrap(f.mic().toBytes()))
        .setMacPayload(mp)
        .build();
  }

  /** Above this many used DevNonces, {@link #deviceBuilder} shares the list via toBuilder. */
  private static final int MAX_COPIED_DEV_NONCES = 16;

  /**
   * A builder holding {@code d}'s fields, as {@code d.toBuilder()} but without copying the
   * {@code attributes} and {@code locations} maps when they are empty: {@code toBuilder} copies
   * both map fields unconditionally (a mutable map, a view and an iterator each, on every
   * update of a device), though they are hardly ever set. A device with a non-empty map (or a
   * long list of used DevNonces, which toBuilder shares rather than copies) gets
   * {@code d.toBuilder()}. Every field of {@code EndDevice} is copied (ProtosTest checks this
   * field by field from the descriptor, so a field added to the proto fails it until handled).
   */
  static EndDevice.Builder deviceBuilder(EndDevice d) {
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
