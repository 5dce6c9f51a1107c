package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.mac.MacCommand.RXParamSetupAns;
import dev.loralab.lorawan.mac.MacCommand.RXParamSetupReq;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * RXParamSetupReq / RXParamSetupAns (LoRaWAN 1.1 §5.5): RX1DROffset, RX2 data rate and RX2
 * frequency; applied to {@code current_parameters} only if the device acknowledges all three.
 */
public final class RxParamSetup implements NetworkInitiatedCommand<RXParamSetupReq, RXParamSetupAns> {

  @Override
  public Class<RXParamSetupReq> requestType() {
    return RXParamSetupReq.class;
  }

  @Override
  public Class<RXParamSetupAns> answerType() {
    return RXParamSetupAns.class;
  }

  /** Queues an RXParamSetupReq. */
  public static void request(EndDevice.Builder device, RXParamSetupReq req, MacEvents events) {
    MacQueue.queueRequest(device.getMacStateBuilder(), MacProtos.toProto(req));
    events.emit(NetworkServerEvents.MAC_RX_PARAM_SETUP_REQUEST,
        MACCommand.RxParamSetupReq.newBuilder().setRx1DataRateOffset(req.rx1DrOffset())
            .setRx2DataRateIndex(req.rx2DataRate()).setRx2Frequency(req.frequencyHz()).build());
  }

  @Override
  public void handleAnswer(RXParamSetupReq req, RXParamSetupAns ans, MacUplinkContext ctx,
      EndDevice.Builder device, MacEvents events) {
    MACCommand.RxParamSetupAns data = MACCommand.RxParamSetupAns.newBuilder()
        .setRx1DataRateOffsetAck(ans.rx1DrOffsetAck()).setRx2DataRateIndexAck(ans.rx2DataRateAck())
        .setRx2FrequencyAck(ans.channelAck()).build();
    if (!(ans.rx1DrOffsetAck() && ans.rx2DataRateAck() && ans.channelAck())) {
      events.emit(NetworkServerEvents.MAC_RX_PARAM_SETUP_ANSWER_REJECT, data);
      return;
    }
    device.getMacStateBuilder().getCurrentParametersBuilder()
        .setRx1DataRateOffset(req.rx1DrOffset()).setRx2DataRateIndex(req.rx2DataRate())
        .setRx2Frequency(req.frequencyHz());
    events.emit(NetworkServerEvents.MAC_RX_PARAM_SETUP_ANSWER_ACCEPT, data);
  }
}
