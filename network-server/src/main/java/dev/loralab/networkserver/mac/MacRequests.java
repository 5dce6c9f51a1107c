package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.frequencyplans.Band;
import dev.loralab.lorawan.mac.MacCommand;

/** Queues any network-initiated request this module implements, with its request event. */
public final class MacRequests {

  private MacRequests() {}

  /**
   * Queues {@code request} for the next downlink.
   *
   * @throws IllegalArgumentException if it is not a supported network-initiated request
   */
  public static void enqueue(EndDevice.Builder device, MacCommand request, Band band, long fCntUp,
      MacEvents events) {
    if (request instanceof MacCommand.LinkADRReq r) {
      LinkAdr.request(device, r, events);
    } else if (request instanceof MacCommand.DevStatusReq) {
      DevStatus.request(device, fCntUp, events);
    } else if (request instanceof MacCommand.DutyCycleReq r) {
      DutyCycle.request(device, r.maxDutyCycle(), events);
    } else if (request instanceof MacCommand.RXTimingSetupReq r) {
      RxTimingSetup.request(device, r.delay(), events);
    } else if (request instanceof MacCommand.RXParamSetupReq r) {
      RxParamSetup.request(device, r, events);
    } else if (request instanceof MacCommand.NewChannelReq r) {
      NewChannel.request(device, r, events);
    } else if (request instanceof MacCommand.DlChannelReq r) {
      DlChannel.request(device, r, events);
    } else if (request instanceof MacCommand.TxParamSetupReq r) {
      TxParamSetup.request(device, r, band.txParamSetupReqSupported(), events);
    } else if (request instanceof MacCommand.ADRParamSetupReq r) {
      AdrParamSetup.request(device, r, events);
    } else {
      throw new IllegalArgumentException("MAC command: expected a supported network-initiated"
          + " request, found " + request.name());
    }
  }
}
