package dev.loralab.gatewayserver;

import com.google.protobuf.Value;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayStatus;
import dev.loralab.api.v3.GatewayUplinkMessage;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.TxAcknowledgment;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventDefinition;
import java.util.List;

/** The Gateway Server's event definitions (names as in The Things Stack). */
public final class GatewayServerEvents {

  private GatewayServerEvents() {}

  /** A gateway connected (first datagram of a registered gateway). */
  public static final EventDefinition GATEWAY_CONNECT =
      EventDefinition.define("gs.gateway.connect", "connect gateway")
          .withDataType(GatewayIdentifiers.class)
          .withVisibility(Right.RIGHT_GATEWAY_LINK, Right.RIGHT_GATEWAY_STATUS_READ);
  /** A gateway connection expired or the server stopped. */
  public static final EventDefinition GATEWAY_DISCONNECT =
      EventDefinition.define("gs.gateway.disconnect", "disconnect gateway")
          .withDataType(GatewayIdentifiers.class)
          .withVisibility(Right.RIGHT_GATEWAY_LINK, Right.RIGHT_GATEWAY_STATUS_READ);
  /** A PUSH_DATA carried a {@code stat} object. */
  public static final EventDefinition STATUS_RECEIVE =
      EventDefinition.define("gs.status.receive", "receive gateway status")
          .withDataType(GatewayStatus.class)
          .withVisibility(Right.RIGHT_GATEWAY_STATUS_READ);
  /** An uplink frame was received (one per antenna). */
  public static final EventDefinition UP_RECEIVE =
      EventDefinition.define("gs.up.receive", "receive uplink message")
          .withDataType(GatewayUplinkMessage.class)
          .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  /** An uplink was handed to the Network Server (data: the string {@code "cluster"}). */
  public static final EventDefinition UP_FORWARD =
      EventDefinition.define("gs.up.forward", "forward uplink message")
          .withDataType(Value.class)
          .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  /** An uplink was dropped (CRC failure, undecodable, NS refused). */
  public static final EventDefinition UP_DROP =
      EventDefinition.define("gs.up.drop", "drop uplink message")
          .withDataType(ErrorDetails.class)
          .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  /** The Network Server asked for a downlink on this gateway. */
  public static final EventDefinition DOWN_SCHEDULE_ATTEMPT =
      EventDefinition.define("gs.down.schedule.attempt", "schedule downlink attempt")
          .withDataType(DownlinkMessage.class)
          .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  /** The scheduler refused a downlink; the data holds the reason. */
  public static final EventDefinition DOWN_SCHEDULE_FAIL =
      EventDefinition.define("gs.down.schedule.fail", "schedule downlink failure")
          .withDataType(ErrorDetails.class)
          .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  /** A PULL_RESP went out to the gateway. */
  public static final EventDefinition DOWN_SEND =
      EventDefinition.define("gs.down.send", "send downlink message")
          .withDataType(DownlinkMessage.class)
          .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  /** A TX_ACK arrived. */
  public static final EventDefinition TXACK_RECEIVE =
      EventDefinition.define("gs.txack.receive", "receive transmission acknowledgment")
          .withDataType(TxAcknowledgment.class)
          .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  /** The gateway reported a successful transmission. */
  public static final EventDefinition DOWN_TX_SUCCESS =
      EventDefinition.define("gs.down.tx.success", "transmit downlink message successful")
          .withDataType(TxAcknowledgment.class)
          .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  /** The gateway reported a failed transmission. */
  public static final EventDefinition DOWN_TX_FAIL =
      EventDefinition.define("gs.down.tx.fail", "transmit downlink message failure")
          .withDataType(TxAcknowledgment.class)
          .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);

  /** Every definition above. */
  public static final List<EventDefinition> ALL = List.of(GATEWAY_CONNECT, GATEWAY_DISCONNECT,
      STATUS_RECEIVE, UP_RECEIVE, UP_FORWARD, UP_DROP, DOWN_SCHEDULE_ATTEMPT, DOWN_SCHEDULE_FAIL,
      DOWN_SEND, TXACK_RECEIVE, DOWN_TX_SUCCESS, DOWN_TX_FAIL);

  /** Registers every definition in {@code catalogue}. */
  public static void registerIn(EventCatalogue catalogue) {
    catalogue.register(ALL);
  }
}
