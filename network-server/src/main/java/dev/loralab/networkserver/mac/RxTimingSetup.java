package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.mac.MacCommand.RXTimingSetupAns;
import dev.loralab.lorawan.mac.MacCommand.RXTimingSetupReq;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * RXTimingSetupReq / RXTimingSetupAns (LoRaWAN 1.1 §5.8): sets the RX1 delay (0 means 1 s); the
 * answer applies it to {@code current_parameters.rx1_delay}.
 */
public final class RxTimingSetup
    implements NetworkInitiatedCommand<RXTimingSetupReq, RXTimingSetupAns> {

  @Override
  public Class<RXTimingSetupReq> requestType() {
    return RXTimingSetupReq.class;
  }

  @Override
  public Class<RXTimingSetupAns> answerType() {
    return RXTimingSetupAns.class;
  }

  /** Queues an RXTimingSetupReq. */
  public static void request(EndDevice.Builder device, int delaySeconds, MacEvents events) {
    MacQueue.queueRequest(device.getMacStateBuilder(),
        MacProtos.toProto(new RXTimingSetupReq(delaySeconds)));
    events.emit(NetworkServerEvents.MAC_RX_TIMING_SETUP_REQUEST,
        MACCommand.RxTimingSetupReq.newBuilder().setDelay(delaySeconds).build());
  }

  @Override
  public void handleAnswer(RXTimingSetupReq request, RXTimingSetupAns answer,
      MacUplinkContext ctx, EndDevice.Builder device, MacEvents events) {
    device.getMacStateBuilder().getCurrentParametersBuilder()
        .setRx1Delay(Math.max(1, request.delay()));
    events.emit(NetworkServerEvents.MAC_RX_TIMING_SETUP_ANSWER, null);
  }
}
