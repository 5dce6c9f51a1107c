package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.lorawan.mac.MacCommand;

/**
 * A command the network starts: the request is queued with {@link MacQueue#queueRequest}, sent in
 * the next downlink (then kept in {@code mac_state.pending_requests}), and the device's answer is
 * applied here. Unanswered requests are queued again.
 *
 * @param <R> the request type
 * @param <A> the answer type
 */
public interface NetworkInitiatedCommand<R extends MacCommand, A extends MacCommand> {

  /** The request type. */
  Class<R> requestType();

  /** The answer type. */
  Class<A> answerType();

  /** Applies {@code answer} to the request it answers and emits its events. */
  void handleAnswer(R request, A answer, MacUplinkContext context, EndDevice.Builder device,
      MacEvents events);
}
