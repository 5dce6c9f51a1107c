package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.api.v3.MACState;
import dev.loralab.events.EventDefinition;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import dev.loralab.networkserver.NetworkServerEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Processes the MAC commands of one uplink (FOpts or FPort-0 payload, already decrypted):
 * answers device-initiated commands, matches answers to the pending network requests and applies
 * them, and queues unanswered requests again. Answers go to {@code mac_state.queued_responses}
 * for the next downlink.
 */
public final class MacCommandPipeline {

  private final Map<Class<?>, DeviceInitiatedCommand<?>> deviceInitiated = new HashMap<>();
  private final Map<Class<?>, NetworkInitiatedCommand<?, ?>> byAnswer = new HashMap<>();

  /** A pipeline with the given handlers. */
  public MacCommandPipeline(List<DeviceInitiatedCommand<?>> deviceCommands,
      List<NetworkInitiatedCommand<?, ?>> networkCommands) {
    for (DeviceInitiatedCommand<?> c : deviceCommands) {
      deviceInitiated.put(c.commandType(), c);
    }
    for (NetworkInitiatedCommand<?, ?> c : networkCommands) {
      byAnswer.put(c.answerType(), c);
    }
  }

  /** Every command this module implements. */
  public static MacCommandPipeline standard() {
    return new MacCommandPipeline(
        List.of(new LinkCheck(), new DeviceTime(), new Reset(), new Rekey(), new DeviceMode()),
        List.of(new DevStatus(), new LinkAdr(), new DutyCycle(), new RxTimingSetup(),
            new RxParamSetup(), new NewChannel(), new DlChannel(), new TxParamSetup(),
            new AdrParamSetup()));
  }

  /**
   * Processes {@code macBytes} (may be empty). A parse failure emits
   * {@code ns.mac.command.parse.fail} and processes nothing; unanswered pending requests are
   * queued again in every case.
   */
  public void processUplink(byte[] macBytes, MacUplinkContext ctx, EndDevice.Builder device,
      MacEvents events) {
    MACState.Builder state = device.getMacStateBuilder();
    List<MACCommand> pending = new ArrayList<>(state.getPendingRequestsList());
    state.clearPendingRequests();
    List<MacCommand> commands = List.of();
    if (macBytes.length > 0) {
      try {
        commands = MacCommandCodec.decode(macBytes, true);
      } catch (LoRaWanException e) {
        events.emit(NetworkServerEvents.MAC_COMMAND_PARSE_FAIL,
            EventDefinition.errorDetails(dev.loralab.api.ApiException.invalidArgument(
                "mac_commands", e.getMessage())));
      }
    }
    for (MacCommand c : commands) {
      DeviceInitiatedCommand<?> d = deviceInitiated.get(c.getClass());
      if (d != null) {
        handleDevice(d, c, ctx, device, events);
        continue;
      }
      NetworkInitiatedCommand<?, ?> n = byAnswer.get(c.getClass());
      MACCommand request = n == null ? null : takeFirst(pending, c.cid());
      if (request == null) {
        events.emit(NetworkServerEvents.MAC_COMMAND_UNKNOWN, MacProtos.toProto(c));
        continue;
      }
      try {
        handleAnswer(n, MacProtos.fromProto(request, false), c, ctx, device, events);
      } catch (LoRaWanException e) {
        events.emit(NetworkServerEvents.MAC_COMMAND_UNKNOWN, request);
      }
    }
    // §5: requests without an answer in this uplink are sent again
    for (MACCommand unanswered : pending) {
      events.emit(NetworkServerEvents.MAC_COMMAND_UNANSWERED, unanswered);
      if (!MacQueue.hasRequest(state, unanswered.getCid())) {
        MacQueue.queueRequest(state, unanswered);
      }
    }
  }

  private static MACCommand takeFirst(List<MACCommand> pending, int cid) {
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).getCid() == cid) {
        return pending.remove(i);
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <C extends MacCommand> void handleDevice(DeviceInitiatedCommand<C> h,
      MacCommand c, MacUplinkContext ctx, EndDevice.Builder device, MacEvents events) {
    h.handle((C) c, ctx, device, events);
  }

  @SuppressWarnings("unchecked")
  private static <R extends MacCommand, A extends MacCommand> void handleAnswer(
      NetworkInitiatedCommand<R, A> h, MacCommand request, MacCommand answer,
      MacUplinkContext ctx, EndDevice.Builder device, MacEvents events) {
    if (!h.requestType().isInstance(request)) {
      throw new LoRaWanException("pending request", h.requestType().getSimpleName(),
          request.name());
    }
    h.handleAnswer((R) request, (A) answer, ctx, device, events);
  }
}
