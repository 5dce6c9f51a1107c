package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.lorawan.mac.MacCommand.NewChannelAns;
import dev.loralab.lorawan.mac.MacCommand.NewChannelReq;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * NewChannelReq / NewChannelAns (LoRaWAN 1.1 §5.7, dynamic-channel bands): creates, changes or
 * (frequency 0) disables channel ChIndex in {@code current_parameters.channels} when the device
 * acknowledges both the frequency and the data-rate range.
 */
public final class NewChannel implements NetworkInitiatedCommand<NewChannelReq, NewChannelAns> {

  @Override
  public Class<NewChannelReq> requestType() {
    return NewChannelReq.class;
  }

  @Override
  public Class<NewChannelAns> answerType() {
    return NewChannelAns.class;
  }

  /** Queues a NewChannelReq. */
  public static void request(EndDevice.Builder device, NewChannelReq req, MacEvents events) {
    MacQueue.queueRequest(device.getMacStateBuilder(), MacProtos.toProto(req));
    events.emit(NetworkServerEvents.MAC_NEW_CHANNEL_REQUEST, MACCommand.NewChannelReq.newBuilder()
        .setChannelIndex(req.chIndex()).setFrequency(req.frequencyHz())
        .setMinDataRateIndex(req.minDr()).setMaxDataRateIndex(req.maxDr()).build());
  }

  @Override
  public void handleAnswer(NewChannelReq req, NewChannelAns ans, MacUplinkContext ctx,
      EndDevice.Builder device, MacEvents events) {
    MACCommand.NewChannelAns data = MACCommand.NewChannelAns.newBuilder()
        .setFrequencyAck(ans.channelFrequencyOk()).setDataRateAck(ans.dataRateRangeOk()).build();
    if (!(ans.channelFrequencyOk() && ans.dataRateRangeOk())) {
      events.emit(NetworkServerEvents.MAC_NEW_CHANNEL_ANSWER_REJECT, data);
      return;
    }
    MACParameters.Builder p = device.getMacStateBuilder().getCurrentParametersBuilder();
    while (p.getChannelsCount() <= req.chIndex()) {
      p.addChannels(MACParameters.Channel.newBuilder());
    }
    p.setChannels(req.chIndex(), MACParameters.Channel.newBuilder()
        .setUplinkFrequency(req.frequencyHz()).setDownlinkFrequency(req.frequencyHz())
        .setMinDataRateIndex(req.minDr()).setMaxDataRateIndex(req.maxDr())
        .setEnableUplink(req.frequencyHz() > 0));
    events.emit(NetworkServerEvents.MAC_NEW_CHANNEL_ANSWER_ACCEPT, data);
  }
}
