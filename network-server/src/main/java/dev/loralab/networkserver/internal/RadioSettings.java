package dev.loralab.networkserver.internal;

import dev.loralab.api.v3.Class;
import dev.loralab.api.v3.DownlinkPath;
import dev.loralab.api.v3.DownlinkPathConstraint;
import dev.loralab.api.v3.GatewayAntennaIdentifiers;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.TxRequest;
import dev.loralab.api.v3.TxSchedulePriority;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.networkserver.adr.MarginAdr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** RX window parameters and downlink paths of a downlink request. Pure functions. */
public final class RadioSettings {

  private RadioSettings() {}

  /**
   * Gateways that received {@code up} and may transmit, best first: highest SNR margin over the
   * demodulation floor, then highest RSSI; gateways asking to be avoided come last.
   */
  public static List<RxMetadata> rankGateways(UplinkMessage up, Band band, int dataRate) {
    List<RxMetadata> l = new ArrayList<>();
    for (RxMetadata md : up.getRxMetadataList()) {
      if (md.getDownlinkPathConstraint() != DownlinkPathConstraint.DOWNLINK_PATH_CONSTRAINT_NEVER) {
        l.add(md);
      }
    }
    l.sort(Comparator
        .comparing((RxMetadata md) -> md.getDownlinkPathConstraint()
            == DownlinkPathConstraint.DOWNLINK_PATH_CONSTRAINT_PREFER_OTHER)
        .thenComparing(md -> -MarginAdr.snrMarginDb(band, dataRate, md.getSnr()))
        .thenComparing(md -> -md.getRssi()));
    return l;
  }

  /** The best SNR margin among the gateways of {@code up}. */
  public static double bestSnrMargin(UplinkMessage up, Band band, int dataRate) {
    double best = Double.NEGATIVE_INFINITY;
    for (RxMetadata md : up.getRxMetadataList()) {
      best = Math.max(best, MarginAdr.snrMarginDb(band, dataRate, md.getSnr()));
    }
    return up.getRxMetadataCount() == 0 ? 0 : best;
  }

  /** Class A paths: the uplink tokens of the best gateways. */
  public static List<DownlinkPath> classAPaths(UplinkMessage up, Band band, int dataRate,
      int max) {
    List<DownlinkPath> out = new ArrayList<>();
    for (RxMetadata md : rankGateways(up, band, dataRate)) {
      if (!md.getUplinkToken().isEmpty() && out.size() < max) {
        out.add(DownlinkPath.newBuilder().setUplinkToken(md.getUplinkToken()).build());
      }
    }
    return out;
  }

  /** Fixed paths (class C): the given gateway antennas. */
  public static List<DownlinkPath> fixedPaths(List<GatewayAntennaIdentifiers> gateways) {
    List<DownlinkPath> out = new ArrayList<>();
    gateways.forEach(g -> out.add(DownlinkPath.newBuilder().setFixed(g).build()));
    return out;
  }

  /**
   * A class A request answering {@code up}.
   *
   * @param rx1Offset RX1DROffset
   * @param rx2DataRate RX2 data rate index
   * @param rx2Frequency RX2 frequency in Hz
   */
  public static TxRequest classA(FrequencyPlan plan, UplinkMessage up, int uplinkDataRate,
      int channelIndex, int rx1DelaySeconds, int rx1Offset, int rx2DataRate, long rx2Frequency,
      List<DownlinkPath> paths, TxSchedulePriority priority) {
    Band band = plan.band();
    int rx1Dr = band.rx1DataRate(uplinkDataRate, rx1Offset, plan.dwellTime().downlinks());
    long rx1Freq = band.rx1Frequency(up.getSettings().getFrequency(),
        Math.max(0, Math.min(255, channelIndex)));
    return TxRequest.newBuilder()
        .setClass_(Class.CLASS_A)
        .addAllDownlinkPaths(paths)
        .setRx1Delay(rx1DelaySeconds)
        .setRx1DataRate(Protos.dataRate(band.dataRate(rx1Dr)))
        .setRx1Frequency(rx1Freq)
        .setRx2DataRate(Protos.dataRate(band.dataRate(rx2DataRate)))
        .setRx2Frequency(rx2Frequency)
        .setPriority(priority)
        .setFrequencyPlanId(plan.id())
        .build();
  }

  /** A class C request on RX2 as soon as possible. */
  public static TxRequest classC(FrequencyPlan plan, MACParameters params,
      List<DownlinkPath> paths, TxSchedulePriority priority) {
    Band band = plan.band();
    return TxRequest.newBuilder()
        .setClass_(Class.CLASS_C)
        .addAllDownlinkPaths(paths)
        .setRx1Delay(Math.max(1, params.getRx1Delay()))
        .setRx2DataRate(Protos.dataRate(band.dataRate(params.getRx2DataRateIndex())))
        .setRx2Frequency(params.getRx2Frequency())
        .setPriority(priority)
        .setFrequencyPlanId(plan.id())
        .build();
  }

  /** The largest MACPayload both windows of a request can carry. */
  public static int maxMacPayload(Band band, int... dataRates) {
    int max = Integer.MAX_VALUE;
    for (int dr : dataRates) {
      max = Math.min(max, band.maxMacPayloadSize(dr, false));
    }
    return max;
  }

}
