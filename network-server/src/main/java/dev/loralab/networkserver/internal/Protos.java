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
}
