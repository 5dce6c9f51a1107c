package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Arbitraries for every PHYPayload record and its parts. */
public final class FrameArbitraries {

  private FrameArbitraries() {}

  public static Arbitrary<Eui64> eui64() {
    return Arbitraries.longs().map(Eui64::new);
  }

  public static Arbitrary<DevAddr> devAddr() {
    return Arbitraries.integers().map(DevAddr::new);
  }

  public static Arbitrary<NetId> netId() {
    return Arbitraries.integers().between(0, 0xFFFFFF).map(NetId::new);
  }

  public static Arbitrary<Mic> mic() {
    return Arbitraries.integers().map(Mic::new);
  }

  public static Arbitrary<Bytes> bytes(int min, int max) {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(Bytes::of);
  }

  static Arbitrary<Integer> u16() {
    return Arbitraries.integers().between(0, 0xFFFF);
  }

  static Arbitrary<Boolean> flag() {
    return Arbitraries.of(true, false);
  }

  public static Arbitrary<JoinRequest> joinRequest() {
    return Combinators.combine(eui64(), eui64(), u16().map(DevNonce::new), mic()).as(JoinRequest::new);
  }

  public static Arbitrary<DlSettings> dlSettings() {
    return Combinators.combine(flag(), Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 15))
        .as(DlSettings::new);
  }

  public static Arbitrary<CfList> cfList() {
    Arbitrary<CfList> frequencies = Arbitraries.longs().between(0, 0xFFFFFF).map(v -> v * 100)
        .list().ofSize(CfList.Frequencies.COUNT).map(CfList.Frequencies::new);
    Arbitrary<CfList> masks = u16().list().ofSize(CfList.ChannelMasks.COUNT).map(CfList.ChannelMasks::new);
    return Arbitraries.oneOf(frequencies, masks);
  }

  public static Arbitrary<JoinAccept> joinAccept() {
    return Combinators.combine(Arbitraries.integers().between(0, 0xFFFFFF).map(JoinNonce::new), netId(), devAddr(),
        dlSettings(), Arbitraries.integers().between(0, 15), cfList().optional(), mic()).as(JoinAccept::new);
  }

  public static Arbitrary<EncryptedJoinAccept> encryptedJoinAccept() {
    return Arbitraries.oneOf(bytes(16, 16), bytes(32, 32)).map(EncryptedJoinAccept::new);
  }

  public static Arbitrary<FCtrl> fCtrl(boolean uplink) {
    if (uplink) {
      return Combinators.combine(flag(), flag(), flag(), flag()).as(FCtrl.Uplink::new);
    }
    return Combinators.combine(flag(), flag(), flag()).as(FCtrl.Downlink::new);
  }

  /** FPort and FRMPayload: no port and no payload, or a port with a payload of 0..200 bytes. */
  record PortAndPayload(OptionalInt fPort, Bytes frmPayload) {}

  static Arbitrary<PortAndPayload> portAndPayload() {
    Arbitrary<PortAndPayload> none = Arbitraries.just(new PortAndPayload(OptionalInt.empty(), Bytes.EMPTY));
    Arbitrary<PortAndPayload> some = Combinators.combine(Arbitraries.integers().between(0, 255), bytes(0, 200))
        .as((p, b) -> new PortAndPayload(OptionalInt.of(p), b));
    return Arbitraries.oneOf(none, some);
  }

  public static Arbitrary<DataFrame> dataFrame() {
    return Arbitraries.of(MType.UNCONFIRMED_DATA_UP, MType.UNCONFIRMED_DATA_DOWN, MType.CONFIRMED_DATA_UP,
        MType.CONFIRMED_DATA_DOWN).flatMap(mType -> {
          Arbitrary<FHdr> fHdr = Combinators.combine(devAddr(), fCtrl(mType.uplink()), u16(), bytes(0, 15)).as(FHdr::new);
          return Combinators.combine(fHdr, portAndPayload(), mic())
              .as((h, pp, m) -> new DataFrame(mType, h, pp.fPort(), pp.frmPayload(), m));
        });
  }

  public static Arbitrary<RejoinRequest> rejoinRequest() {
    Arbitrary<RejoinRequest> type02 = Combinators.combine(Arbitraries.of(0, 2), netId(), eui64(), u16(), mic())
        .as(RejoinRequestType02::new);
    Arbitrary<RejoinRequest> type1 = Combinators.combine(eui64(), eui64(), u16(), mic()).as(RejoinRequestType1::new);
    return Arbitraries.oneOf(type02, type1);
  }

  public static Arbitrary<Proprietary> proprietary() {
    return Combinators.combine(bytes(0, 200), mic()).as(Proprietary::new);
  }

  /** Every frame that {@link PhyPayloadCodec#decode(byte[])} can return (join-accepts in encrypted form). */
  public static Arbitrary<PhyPayload> decodable() {
    List<Arbitrary<? extends PhyPayload>> all = List.of(joinRequest(), encryptedJoinAccept(), dataFrame(),
        rejoinRequest(), proprietary());
    return Arbitraries.oneOf(all);
  }
}
