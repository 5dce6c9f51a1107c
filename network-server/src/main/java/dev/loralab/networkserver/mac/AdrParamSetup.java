package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.mac.MacCommand.ADRParamSetupAns;
import dev.loralab.lorawan.mac.MacCommand.ADRParamSetupReq;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * ADRParamSetupReq / ADRParamSetupAns (LoRaWAN 1.1 §5.14): ADR_ACK_LIMIT = 2^Limit_exp and
 * ADR_ACK_DELAY = 2^Delay_exp, applied on the answer.
 */
public final class AdrParamSetup
    implements NetworkInitiatedCommand<ADRParamSetupReq, ADRParamSetupAns> {

  @Override
  public Class<ADRParamSetupReq> requestType() {
    return ADRParamSetupReq.class;
  }

  @Override
  public Class<ADRParamSetupAns> answerType() {
    return ADRParamSetupAns.class;
  }

  /** Queues an ADRParamSetupReq. */
  public static void request(EndDevice.Builder device, ADRParamSetupReq req, MacEvents events) {
    MacQueue.queueRequest(device.getMacStateBuilder(), MacProtos.toProto(req));
    events.emit(NetworkServerEvents.MAC_ADR_PARAM_SETUP_REQUEST,
        MACCommand.ADRParamSetupReq.newBuilder().setAdrAckLimitExponent(req.limitExp())
            .setAdrAckDelayExponent(req.delayExp()).build());
  }

  @Override
  public void handleAnswer(ADRParamSetupReq req, ADRParamSetupAns ans, MacUplinkContext ctx,
      EndDevice.Builder device, MacEvents events) {
    device.getMacStateBuilder().getCurrentParametersBuilder()
        .setAdrAckLimit(1 << req.limitExp()).setAdrAckDelay(1 << req.delayExp());
    events.emit(NetworkServerEvents.MAC_ADR_PARAM_SETUP_ANSWER, null);
  }
}
