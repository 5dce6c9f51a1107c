package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.mac.MacCommand.TxParamSetupAns;
import dev.loralab.lorawan.mac.MacCommand.TxParamSetupReq;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * TxParamSetupReq / TxParamSetupAns (LoRaWAN 1.1 §5.9; bands where it is implemented, e.g.
 * AS923): dwell-time flags and maximum EIRP, applied on the answer.
 */
public final class TxParamSetup implements NetworkInitiatedCommand<TxParamSetupReq, TxParamSetupAns> {

  /** MaxEIRP index to dBm (LoRaWAN 1.1 §5.9, Table 13). */
  static final int[] MAX_EIRP_DBM = {8, 10, 12, 13, 14, 16, 18, 20, 21, 24, 26, 27, 29, 30, 33,
      36};

  @Override
  public Class<TxParamSetupReq> requestType() {
    return TxParamSetupReq.class;
  }

  @Override
  public Class<TxParamSetupAns> answerType() {
    return TxParamSetupAns.class;
  }

  /**
   * Queues a TxParamSetupReq.
   *
   * @throws IllegalArgumentException if the band does not implement the command
   */
  public static void request(EndDevice.Builder device, TxParamSetupReq req, boolean supported,
      MacEvents events) {
    if (!supported) {
      throw new IllegalArgumentException("TxParamSetupReq: not implemented in this band");
    }
    MacQueue.queueRequest(device.getMacStateBuilder(), MacProtos.toProto(req));
    events.emit(NetworkServerEvents.MAC_TX_PARAM_SETUP_REQUEST,
        MACCommand.TxParamSetupReq.newBuilder().setMaxEirpIndex(req.maxEirp())
            .setUplinkDwellTime(req.uplinkDwellTime())
            .setDownlinkDwellTime(req.downlinkDwellTime()).build());
  }

  @Override
  public void handleAnswer(TxParamSetupReq req, TxParamSetupAns ans, MacUplinkContext ctx,
      EndDevice.Builder device, MacEvents events) {
    device.getMacStateBuilder().getCurrentParametersBuilder()
        .setMaxEirp(MAX_EIRP_DBM[req.maxEirp()]).setUplinkDwellTime(req.uplinkDwellTime())
        .setDownlinkDwellTime(req.downlinkDwellTime());
    events.emit(NetworkServerEvents.MAC_TX_PARAM_SETUP_ANSWER, null);
  }
}
