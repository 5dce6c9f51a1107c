package dev.loralab.lorawan.mac;

import dev.loralab.lorawan.mac.MacCommand.*;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Arbitraries for every MAC command record, covering each field's full valid range. */
public final class MacCommandArbitraries {

  private MacCommandArbitraries() {}

  static Arbitrary<Integer> bits(int n) {
    return Arbitraries.integers().between(0, (1 << n) - 1);
  }

  static Arbitrary<Boolean> flag() {
    return Arbitraries.of(true, false);
  }

  static Arbitrary<Long> frequency() {
    return Arbitraries.longs().between(0, 0xFFFFFF).map(v -> v * 100);
  }

  /** Every command sent by end devices. */
  public static Arbitrary<MacCommand> uplink() {
    List<Arbitrary<? extends MacCommand>> all = List.of(
        bits(4).map(ResetInd::new),
        Arbitraries.just(new LinkCheckReq()),
        Combinators.combine(flag(), flag(), flag()).as(LinkADRAns::new),
        Arbitraries.just(new DutyCycleAns()),
        Combinators.combine(flag(), flag(), flag()).as(RXParamSetupAns::new),
        Combinators.combine(bits(8), Arbitraries.integers().between(-32, 31)).as(DevStatusAns::new),
        Combinators.combine(flag(), flag()).as(NewChannelAns::new),
        Arbitraries.just(new RXTimingSetupAns()),
        Arbitraries.just(new TxParamSetupAns()),
        Combinators.combine(flag(), flag()).as(DlChannelAns::new),
        bits(4).map(RekeyInd::new),
        Arbitraries.just(new ADRParamSetupAns()),
        Arbitraries.just(new DeviceTimeReq()),
        flag().map(RejoinParamSetupAns::new),
        bits(3).map(PingSlotInfoReq::new),
        Combinators.combine(flag(), flag()).as(PingSlotChannelAns::new),
        Arbitraries.just(new BeaconTimingReq()),
        flag().map(BeaconFreqAns::new),
        bits(8).map(DeviceModeInd::new));
    return Arbitraries.oneOf(all);
  }

  /** Every command sent by the network. */
  public static Arbitrary<MacCommand> downlink() {
    List<Arbitrary<? extends MacCommand>> all = List.of(
        bits(4).map(ResetConf::new),
        Combinators.combine(bits(8), bits(8)).as(LinkCheckAns::new),
        Combinators.combine(bits(4), bits(4), bits(16), bits(3), bits(4)).as(LinkADRReq::new),
        bits(4).map(DutyCycleReq::new),
        Combinators.combine(bits(3), bits(4), frequency()).as(RXParamSetupReq::new),
        Arbitraries.just(new DevStatusReq()),
        Combinators.combine(bits(8), frequency(), bits(4), bits(4)).as(NewChannelReq::new),
        bits(4).map(RXTimingSetupReq::new),
        Combinators.combine(flag(), flag(), bits(4)).as(TxParamSetupReq::new),
        Combinators.combine(bits(8), frequency()).as(DlChannelReq::new),
        bits(4).map(RekeyConf::new),
        Combinators.combine(bits(4), bits(4)).as(ADRParamSetupReq::new),
        Combinators.combine(Arbitraries.longs().between(0, 0xFFFF_FFFFL), bits(8)).as(DeviceTimeAns::new),
        Combinators.combine(bits(3), bits(3), bits(3), bits(4)).as(ForceRejoinReq::new),
        Combinators.combine(bits(4), bits(4)).as(RejoinParamSetupReq::new),
        Arbitraries.just(new PingSlotInfoAns()),
        Combinators.combine(frequency(), bits(4)).as(PingSlotChannelReq::new),
        Combinators.combine(bits(16), bits(8)).as(BeaconTimingAns::new),
        frequency().map(BeaconFreqReq::new),
        bits(8).map(DeviceModeConf::new));
    return Arbitraries.oneOf(all);
  }

  /** Commands of either direction. */
  public static Arbitrary<MacCommand> any() {
    return Arbitraries.oneOf(uplink(), downlink());
  }
}
