package dev.loralab.networkserver.internal;

import dev.loralab.api.v3.CFList;
import dev.loralab.api.v3.CFListType;
import dev.loralab.api.v3.Class;
import dev.loralab.api.v3.DLSettings;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.api.v3.MACSettings;
import dev.loralab.api.v3.MACState;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.Channel;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.networkserver.NetworkServerConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The MAC state a device starts with: after a join (the parameters of the join-accept and its
 * CFList) or, for ABP devices, from its MAC settings and the band defaults.
 */
public final class MacStates {

  private MacStates() {}

  /** The MAC state after a join, or for an ABP device with no MAC state yet. */
  public static MACState initial(EndDevice d, FrequencyPlan plan, NetworkServerConfig cfg,
      boolean joined) {
    Band band = plan.band();
    MACSettings st = d.getMacSettings();
    MACParameters.Builder p = MACParameters.newBuilder()
        .setMaxEirp((float) plan.maxEirpDbm())
        .setAdrDataRateIndex(0).setAdrTxPowerIndex(0).setAdrNbTrans(1)
        .setAdrAckLimit(band.adrAckLimit()).setAdrAckDelay(band.adrAckDelay());
    if (joined) {
      p.setRx1Delay(cfg.defaultRx1DelaySeconds())
          .setRx1DataRateOffset(cfg.defaultRx1DataRateOffset())
          .setRx2DataRateIndex(plan.rx2Channel().dataRate())
          .setRx2Frequency(plan.rx2Channel().frequencyHz());
    } else {
      p.setRx1Delay(st.getUseRx1Delay() ? Math.max(1, st.getRx1Delay())
              : (int) band.receiveDelay1().toSeconds())
          .setRx1DataRateOffset(st.getRx1DataRateOffset())
          .setRx2DataRateIndex(st.getUseRx2DataRateIndex() ? st.getRx2DataRateIndex()
              : band.rx2().dataRate())
          .setRx2Frequency(st.getUseRx2Frequency() && st.getRx2Frequency() > 0
              ? st.getRx2Frequency() : band.rx2().frequencyHz());
    }
    for (MACParameters.Channel c : channels(band, plan)) {
      p.addChannels(c);
    }
    return MACState.newBuilder()
        .setCurrentParameters(p)
        .setDesiredParameters(p)
        .setDeviceClass(d.getSupportsClassC() ? Class.CLASS_C : Class.CLASS_A)
        .setLorawanVersion(d.getLorawanVersion())
        .setRxWindowsAvailable(false)
        .build();
  }

  /** The device's channels: the band's default channels plus the plan's extra ones. */
  static List<MACParameters.Channel> channels(Band band, FrequencyPlan plan) {
    List<MACParameters.Channel> out = new ArrayList<>();
    if (band.channelPlan() == Band.ChannelPlan.FIXED_72) {
      Set<Long> inPlan = new HashSet<>();
      plan.uplinkChannels().forEach(c -> inPlan.add(c.frequencyHz()));
      // the plan's 500 kHz LoRa channel (e.g. channel 65 of US915 FSB 2) is enabled too
      plan.loraStandardChannel().ifPresent(c -> inPlan.add(c.frequencyHz()));
      for (Channel c : band.uplinkChannels()) {
        out.add(channel(c, inPlan.isEmpty() || inPlan.contains(c.frequencyHz())));
      }
      return out;
    }
    for (Channel c : band.uplinkChannels()) {
      out.add(channel(c, true));
    }
    for (Channel c : extraChannels(band, plan)) {
      out.add(channel(c, true));
    }
    return out;
  }

  private static MACParameters.Channel channel(Channel c, boolean enabled) {
    return MACParameters.Channel.newBuilder().setUplinkFrequency(c.frequencyHz())
        .setDownlinkFrequency(c.frequencyHz()).setMinDataRateIndex(c.minDataRate())
        .setMaxDataRateIndex(c.maxDataRate()).setEnableUplink(enabled).build();
  }

  /** The plan's uplink channels that are not band defaults, at most five (dynamic bands). */
  static List<Channel> extraChannels(Band band, FrequencyPlan plan) {
    Set<Long> defaults = new HashSet<>();
    band.uplinkChannels().forEach(c -> defaults.add(c.frequencyHz()));
    List<Channel> out = new ArrayList<>();
    for (Channel c : plan.uplinkChannels()) {
      if (!defaults.contains(c.frequencyHz()) && out.size() < 5) {
        out.add(c);
      }
    }
    return out;
  }

  /** The CFList of the join-accept, if the plan adds channels (RP002 §2.x.4). */
  public static Optional<CFList> cfList(FrequencyPlan plan) {
    Band band = plan.band();
    if (band.cfListType() == Band.CfListType.FREQUENCIES) {
      List<Channel> extra = extraChannels(band, plan);
      if (extra.isEmpty()) {
        return Optional.empty();
      }
      CFList.Builder b = CFList.newBuilder().setType(CFListType.FREQUENCIES);
      extra.forEach(c -> b.addFreq((int) (c.frequencyHz() / 100)));
      return Optional.of(b.build());
    }
    CFList.Builder b = CFList.newBuilder().setType(CFListType.CHANNEL_MASKS);
    channels(band, plan).forEach(c -> b.addChMasks(c.getEnableUplink()));
    return Optional.of(b.build());
  }

  /** The DLSettings of the join-accept. */
  public static DLSettings dlSettings(FrequencyPlan plan, NetworkServerConfig cfg,
      boolean lorawan11) {
    return DLSettings.newBuilder().setRx1DrOffset(cfg.defaultRx1DataRateOffset())
        .setRx2Dr(plan.rx2Channel().dataRate()).setOptNeg(lorawan11).build();
  }
}
