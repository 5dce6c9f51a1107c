package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.lorawan.mac.MacCommand.DlChannelAns;
import dev.loralab.lorawan.mac.MacCommand.DlChannelReq;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * DlChannelReq / DlChannelAns (LoRaWAN 1.1 §5.11): moves the RX1 frequency of channel ChIndex;
 * applied when the device confirms that the uplink channel exists and accepts the frequency.
 */
public final class DlChannel implements NetworkInitiatedCommand<DlChannelReq, DlChannelAns> {

  @Override
  public Class<DlChannelReq> requestType() {
    return DlChannelReq.class;
  }

  @Override
  public Class<DlChannelAns> answerType() {
    return DlChannelAns.class;
  }

  /** Queues a DlChannelReq. */
  public static void request(EndDevice.Builder device, DlChannelReq req, MacEvents events) {
    MacQueue.queueRequest(device.getMacStateBuilder(), MacProtos.toProto(req));
    events.emit(NetworkServerEvents.MAC_DL_CHANNEL_REQUEST, MACCommand.DLChannelReq.newBuilder()
        .setChannelIndex(req.chIndex()).setFrequency(req.frequencyHz()).build());
  }

  @Override
  public void handleAnswer(DlChannelReq req, DlChannelAns ans, MacUplinkContext ctx,
      EndDevice.Builder device, MacEvents events) {
    MACCommand.DLChannelAns data = MACCommand.DLChannelAns.newBuilder()
        .setChannelIndexAck(ans.uplinkFrequencyExists()).setFrequencyAck(ans.channelFrequencyOk())
        .build();
    MACParameters.Builder p = device.getMacStateBuilder().getCurrentParametersBuilder();
    if (!(ans.uplinkFrequencyExists() && ans.channelFrequencyOk())
        || req.chIndex() >= p.getChannelsCount()) {
      events.emit(NetworkServerEvents.MAC_DL_CHANNEL_ANSWER_REJECT, data);
      return;
    }
    p.getChannelsBuilder(req.chIndex()).setDownlinkFrequency(req.frequencyHz());
    events.emit(NetworkServerEvents.MAC_DL_CHANNEL_ANSWER_ACCEPT, data);
  }
}
