package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.lorawan.mac.MacCommand.LinkADRAns;
import dev.loralab.lorawan.mac.MacCommand.LinkADRReq;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * LinkADRReq / LinkADRAns (LoRaWAN 1.1 §5.3) for bands with up to 16 channels (ChMaskCntl 0):
 * the request carries data rate, TX power index, NbTrans and the mask of the channels in
 * {@code current_parameters.channels}; an answer acknowledging all three fields applies them to
 * {@code current_parameters}, any NACK leaves the state unchanged (the device refuses the whole
 * block).
 */
public final class LinkAdr implements NetworkInitiatedCommand<LinkADRReq, LinkADRAns> {

  /** DataRate / TXPower value meaning "keep the current setting" (1.0.4, 1.1). */
  static final int KEEP = 15;
  /** ChMaskCntl 6 of dynamic-channel bands: every defined channel on (RP002 §2.x.5). */
  static final int CH_MASK_CNTL_ALL_ON = 6;

  @Override
  public Class<LinkADRReq> requestType() {
    return LinkADRReq.class;
  }

  @Override
  public Class<LinkADRAns> answerType() {
    return LinkADRAns.class;
  }

  /** The ChMask of the enabled channels among the first 16 of {@code params}. */
  public static int channelMask(MACParameters params) {
    int mask = 0;
    for (int i = 0; i < Math.min(16, params.getChannelsCount()); i++) {
      if (params.getChannels(i).getEnableUplink()) {
        mask |= 1 << i;
      }
    }
    return mask;
  }

  /** Queues a LinkADRReq for the channels enabled now. */
  public static void request(EndDevice.Builder device, int dataRate, int txPowerIndex,
      int nbTrans, MacEvents events) {
    int mask = channelMask(device.getMacStateBuilder().getCurrentParameters());
    request(device, new LinkADRReq(dataRate, txPowerIndex, mask, 0, nbTrans), events);
  }

  /** Queues {@code req}. */
  public static void request(EndDevice.Builder device, LinkADRReq req, MacEvents events) {
    var s = device.getMacStateBuilder();
    MacQueue.queueRequest(s, MacProtos.toProto(req));
    var desired = s.getDesiredParametersBuilder();
    if (req.dataRate() != KEEP) {
      desired.setAdrDataRateIndex(req.dataRate());
    }
    if (req.txPower() != KEEP) {
      desired.setAdrTxPowerIndex(req.txPower());
    }
    if (req.nbTrans() != 0) {
      desired.setAdrNbTrans(req.nbTrans());
    }
    MACCommand.LinkADRReq.Builder data = MACCommand.LinkADRReq.newBuilder()
        .setDataRateIndex(req.dataRate()).setTxPowerIndex(req.txPower())
        .setNbTrans(req.nbTrans()).setChannelMaskControl(req.chMaskCntl());
    for (int i = 0; i < 16; i++) {
      data.addChannelMask((req.chMask() & (1 << i)) != 0);
    }
    events.emit(NetworkServerEvents.MAC_LINK_ADR_REQUEST, data.build());
  }

  @Override
  public void handleAnswer(LinkADRReq request, LinkADRAns answer, MacUplinkContext ctx,
      EndDevice.Builder device, MacEvents events) {
    MACCommand.LinkADRAns data = MACCommand.LinkADRAns.newBuilder()
        .setChannelMaskAck(answer.channelMaskAck()).setDataRateIndexAck(answer.dataRateAck())
        .setTxPowerIndexAck(answer.powerAck()).build();
    if (!(answer.channelMaskAck() && answer.dataRateAck() && answer.powerAck())) {
      events.emit(NetworkServerEvents.MAC_LINK_ADR_ANSWER_REJECT, data);
      return;
    }
    MACParameters.Builder p = device.getMacStateBuilder().getCurrentParametersBuilder();
    if (request.dataRate() != KEEP) {
      p.setAdrDataRateIndex(request.dataRate());
    }
    if (request.txPower() != KEEP) {
      p.setAdrTxPowerIndex(request.txPower());
    }
    if (request.nbTrans() != 0) {
      p.setAdrNbTrans(request.nbTrans());
    }
    if (request.chMaskCntl() == 0) {
      for (int i = 0; i < Math.min(16, p.getChannelsCount()); i++) {
        p.getChannelsBuilder(i).setEnableUplink((request.chMask() & (1 << i)) != 0);
      }
    } else if (request.chMaskCntl() == CH_MASK_CNTL_ALL_ON) {
      for (int i = 0; i < p.getChannelsCount(); i++) {
        p.getChannelsBuilder(i).setEnableUplink(p.getChannels(i).getUplinkFrequency() > 0);
      }
    }
    events.emit(NetworkServerEvents.MAC_LINK_ADR_ANSWER_ACCEPT, data);
  }
}
