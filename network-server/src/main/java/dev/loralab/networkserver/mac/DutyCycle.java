package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.mac.MacCommand.DutyCycleAns;
import dev.loralab.lorawan.mac.MacCommand.DutyCycleReq;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * DutyCycleReq / DutyCycleAns (LoRaWAN 1.1 §5.4): limits the device's aggregated duty cycle to
 * 1/2^MaxDCycle; the answer applies it to {@code current_parameters.max_duty_cycle}.
 */
public final class DutyCycle implements NetworkInitiatedCommand<DutyCycleReq, DutyCycleAns> {

  @Override
  public Class<DutyCycleReq> requestType() {
    return DutyCycleReq.class;
  }

  @Override
  public Class<DutyCycleAns> answerType() {
    return DutyCycleAns.class;
  }

  /** Queues a DutyCycleReq. */
  public static void request(EndDevice.Builder device, int maxDutyCycle, MacEvents events) {
    MacQueue.queueRequest(device.getMacStateBuilder(),
        MacProtos.toProto(new DutyCycleReq(maxDutyCycle)));
    events.emit(NetworkServerEvents.MAC_DUTY_CYCLE_REQUEST,
        MACCommand.DutyCycleReq.newBuilder().setMaxDutyCycle(maxDutyCycle).build());
  }

  @Override
  public void handleAnswer(DutyCycleReq request, DutyCycleAns answer, MacUplinkContext ctx,
      EndDevice.Builder device, MacEvents events) {
    device.getMacStateBuilder().getCurrentParametersBuilder()
        .setMaxDutyCycle(request.maxDutyCycle());
    events.emit(NetworkServerEvents.MAC_DUTY_CYCLE_ANSWER, null);
  }
}
