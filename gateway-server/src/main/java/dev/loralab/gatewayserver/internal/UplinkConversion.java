package dev.loralab.gatewayserver.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import dev.loralab.api.v3.DataRate;
import dev.loralab.api.v3.FCtrl;
import dev.loralab.api.v3.FHDR;
import dev.loralab.api.v3.FSKDataRate;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayStatus;
import dev.loralab.api.v3.JoinRequestPayload;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.Location;
import dev.loralab.api.v3.LocationSource;
import dev.loralab.api.v3.MACPayload;
import dev.loralab.api.v3.MHDR;
import dev.loralab.api.v3.MType;
import dev.loralab.api.v3.Major;
import dev.loralab.api.v3.Message;
import dev.loralab.api.v3.RejoinRequestPayload;
import dev.loralab.api.v3.RejoinRequestType;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.TxSettings;
import dev.loralab.gatewayserver.UplinkToken;
import dev.loralab.gatewayserver.udp.Datr;
import dev.loralab.gatewayserver.udp.Rsig;
import dev.loralab.gatewayserver.udp.Rxpk;
import dev.loralab.gatewayserver.udp.Stat;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.RejoinRequestType02;
import dev.loralab.lorawan.frame.RejoinRequestType1;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Translations from Semtech UDP values to the ttn.lorawan.v3 messages. Pure functions. */
public final class UplinkConversion {

  private UplinkConversion() {}

  /** The proto timestamp of an instant. */
  public static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  /** The proto data rate of an rxpk/txpk data rate. */
  public static DataRate dataRate(Datr datr, String codr) {
    if (datr instanceof Datr.LoRa l) {
      return DataRate.newBuilder().setLora(LoRaDataRate.newBuilder()
          .setBandwidth(l.bandwidthHz()).setSpreadingFactor(l.spreadingFactor())
          .setCodingRate(codr == null ? "" : codr)).build();
    }
    if (datr instanceof Datr.Fsk f) {
      return DataRate.newBuilder().setFsk(FSKDataRate.newBuilder().setBitRate(f.bitRate()))
          .build();
    }
    return DataRate.getDefaultInstance();
  }

  /** The decoded PHYPayload as the {@code Message} that events and the Network Server carry. */
  public static Message message(PhyPayload p, byte[] raw) {
    Message.Builder m = Message.newBuilder()
        .setMHdr(MHDR.newBuilder().setMType(mType(p)).setMajor(Major.LORAWAN_R1));
    if (raw.length >= 5) {
      m.setMic(ByteString.copyFrom(raw, raw.length - 4, 4));
    }
    if (p instanceof JoinRequest j) {
      m.setJoinRequestPayload(JoinRequestPayload.newBuilder()
          .setJoinEui(j.joinEui().toString()).setDevEui(j.devEui().toString())
          .setDevNonce(j.devNonce().toString()));
    } else if (p instanceof DataFrame d) {
      FCtrl.Builder fctrl = FCtrl.newBuilder();
      if (d.fHdr().fCtrl() instanceof dev.loralab.lorawan.frame.FCtrl.Uplink u) {
        fctrl.setAdr(u.adr()).setAdrAckReq(u.adrAckReq()).setAck(u.ack()).setClassB(u.classB());
      } else if (d.fHdr().fCtrl() instanceof dev.loralab.lorawan.frame.FCtrl.Downlink dl) {
        fctrl.setAdr(dl.adr()).setAck(dl.ack()).setFPending(dl.fPending());
      }
      MACPayload.Builder mac = MACPayload.newBuilder().setFHdr(FHDR.newBuilder()
          .setDevAddr(d.fHdr().devAddr().toString()).setFCtrl(fctrl).setFCnt(d.fHdr().fCnt())
          .setFOpts(owned(d.fHdr().fOpts())))
          .setFrmPayload(owned(d.frmPayload()));
      d.fPort().ifPresent(mac::setFPort);
      m.setMacPayload(mac);
    } else if (p instanceof RejoinRequestType02 r) {
      m.setRejoinRequestPayload(RejoinRequestPayload.newBuilder()
          .setRejoinType(r.rejoinType() == 0 ? RejoinRequestType.CONTEXT : RejoinRequestType.KEYS)
          .setNetId(r.netId().toString()).setDevEui(r.devEui().toString())
          .setRejoinCnt(r.rjCount0()));
    } else if (p instanceof RejoinRequestType1 r) {
      m.setRejoinRequestPayload(RejoinRequestPayload.newBuilder()
          .setRejoinType(RejoinRequestType.SESSION).setJoinEui(r.joinEui().toString())
          .setDevEui(r.devEui().toString()).setRejoinCnt(r.rjCount1()));
    }
    return m.build();
  }

  /** The bytes as a ByteString over a copy of its own (toArray's, which nothing else holds). */
  private static ByteString owned(Bytes b) {
    return b.isEmpty() ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(b.toArray());
  }

  private static MType mType(PhyPayload p) {
    return switch (p.mType()) {
      case JOIN_REQUEST -> MType.JOIN_REQUEST;
      case JOIN_ACCEPT -> MType.JOIN_ACCEPT;
      case UNCONFIRMED_DATA_UP -> MType.UNCONFIRMED_UP;
      case UNCONFIRMED_DATA_DOWN -> MType.UNCONFIRMED_DOWN;
      case CONFIRMED_DATA_UP -> MType.CONFIRMED_UP;
      case CONFIRMED_DATA_DOWN -> MType.CONFIRMED_DOWN;
      case REJOIN_REQUEST -> MType.REJOIN_REQUEST;
      case PROPRIETARY -> MType.PROPRIETARY;
    };
  }

  /** Uplink radio settings of an rxpk. */
  public static TxSettings settings(Rxpk r) {
    TxSettings.Builder s = TxSettings.newBuilder()
        .setDataRate(dataRate(r.datr(), r.codr()))
        .setFrequency(r.frequencyHz())
        .setTimestamp((int) r.tmst())
        .setEnableCrc(r.stat() != null && r.stat() != 0);
    if (r.time() != null) {
      s.setTime(timestamp(r.time()));
    }
    return s.build();
  }

  /**
   * One RxMetadata per antenna: one per {@code rsig} element, or a single one for antenna 0 when
   * the rxpk has no {@code rsig}.
   */
  public static List<RxMetadata> rxMetadata(Rxpk r, GatewayIdentifiers ids, Eui64 eui,
      Instant receivedAt, long connectionSerial) {
    return rxMetadata(r, ids, eui, receivedAt, timestamp(receivedAt), connectionSerial);
  }

  /**
   * As {@link #rxMetadata(Rxpk, GatewayIdentifiers, Eui64, Instant, long)}, with the proto
   * timestamp of {@code receivedAt} the caller already made (messages are immutable: shared).
   */
  public static List<RxMetadata> rxMetadata(Rxpk r, GatewayIdentifiers ids, Eui64 eui,
      Instant receivedAt, Timestamp received, long connectionSerial) {
    List<Rsig> antennas = r.rsig().isEmpty()
        ? List.of(new Rsig(0, r.chan(), r.rssi(), r.rssis(), null, r.lsnr(), null, r.ftime(),
            r.foff()))
        : r.rsig();
    List<RxMetadata> out = new ArrayList<>(antennas.size());
    // Built once per rxpk: messages are immutable, so the antennas share them.
    Timestamp time = r.time() == null ? null : timestamp(r.time());
    for (Rsig a : antennas) {
      Datr datr = r.datr();
      boolean lora = datr instanceof Datr.LoRa;
      UplinkToken token = new UplinkToken(eui, a.ant(), r.tmst(), receivedAt, r.frequencyHz(),
          lora, lora ? ((Datr.LoRa) datr).spreadingFactor() : 0,
          lora ? ((Datr.LoRa) datr).bandwidthHz()
              : datr instanceof Datr.Fsk f ? f.bitRate() : 1,
          connectionSerial);
      RxMetadata.Builder md = RxMetadata.newBuilder()
          .setGatewayIds(ids)
          .setAntennaIndex(a.ant())
          .setTimestamp((int) r.tmst())
          // toBytes() gives a new array that nothing else holds: the ByteString may share it
          .setUplinkToken(UnsafeByteOperations.unsafeWrap(token.toBytes()))
          .setReceivedAt(received);
      if (time != null) {
        md.setTime(time);
      }
      if (r.tmms() != null) {
        md.setGpsTime(timestamp(Instant.ofEpochMilli(315_964_800_000L + r.tmms())));
      }
      if (a.chan() != null) {
        md.setChannelIndex(a.chan());
      }
      Double channelRssi = a.rssic() != null ? a.rssic() : r.rssi();
      if (channelRssi != null) {
        md.setRssi(channelRssi.floatValue()).setChannelRssi(channelRssi.floatValue());
      }
      if (a.rssis() != null) {
        md.setSignalRssi(a.rssis().floatValue());
      }
      if (a.rssisd() != null) {
        md.setRssiStandardDeviation(a.rssisd().floatValue());
      }
      if (a.lsnr() != null) {
        md.setSnr(a.lsnr().floatValue());
      }
      if (a.ftime() != null) {
        md.setFineTimestamp(a.ftime());
      }
      if (a.etime() != null) {
        md.setEncryptedFineTimestamp(ByteString.copyFrom(a.etime().toArray()));
      }
      if (a.foff() != null) {
        md.setFrequencyOffset(a.foff());
      }
      out.add(md.build());
    }
    return out;
  }

  /** The gateway status of a {@code stat} object. */
  public static GatewayStatus status(Stat s, Instant receivedAt, String remoteIp) {
    GatewayStatus.Builder b = GatewayStatus.newBuilder().setTime(timestamp(receivedAt));
    if (remoteIp != null) {
      b.addIp(remoteIp);
    }
    if (s.lati() != null && s.longi() != null) {
      b.addAntennaLocations(Location.newBuilder().setLatitude(s.lati()).setLongitude(s.longi())
          .setAltitude(s.alti() == null ? 0 : s.alti()).setSource(LocationSource.SOURCE_GPS));
    }
    putMetric(b, "rxin", s.rxnb());
    putMetric(b, "rxok", s.rxok());
    putMetric(b, "rxfw", s.rxfw());
    if (s.ackr() != null) {
      b.putMetrics("ackr", s.ackr().floatValue());
    }
    putMetric(b, "txin", s.dwnb());
    putMetric(b, "txok", s.txnb());
    if (s.temp() != null) {
      b.putMetrics("temp", s.temp().floatValue());
    }
    if (s.hal() != null) {
      b.putVersions("hal", s.hal());
    }
    if (s.fpga() != null) {
      b.putVersions("fpga", Long.toString(s.fpga()));
    }
    if (s.dsp() != null) {
      b.putVersions("dsp", Long.toString(s.dsp()));
    }
    return b.build();
  }

  private static void putMetric(GatewayStatus.Builder b, String name, Long v) {
    if (v != null) {
      b.putMetrics(name, v.floatValue());
    }
  }
}
