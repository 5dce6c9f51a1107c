package dev.loralab.networkserver;

import com.google.protobuf.Message;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.JoinResponse;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.ScheduleDownlinkResponse;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The Network Server's event definitions, named as in The Things Stack. Every event carries end
 * device identifiers and is visible with {@code RIGHT_APPLICATION_TRAFFIC_READ}. The uplink,
 * join and downlink events also appear in the application's stream, as the seed's join flow
 * (a subscription to a gateway and an application) shows; MAC command events only in the
 * device's.
 */
public final class NetworkServerEvents {

  private static final List<EventDefinition> ALL = new ArrayList<>();

  private NetworkServerEvents() {}

  private static EventDefinition define(String name, String description,
      Class<? extends Message> data, boolean propagate) {
    EventDefinition d = EventDefinition.define(name, description)
        .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ);
    if (data != null) {
      d = d.withDataType(data);
    }
    if (propagate) {
      d = d.propagatingToParent();
    }
    ALL.add(d);
    return d;
  }

  /** A data uplink was matched to this device. */
  public static final EventDefinition UP_DATA_RECEIVE =
      define("ns.up.data.receive", "receive data message", UplinkMessage.class, true);
  /** A data uplink was dropped (FCnt too low, MIC mismatch, FCnt gap, ...). */
  public static final EventDefinition UP_DATA_DROP =
      define("ns.up.data.drop", "drop data message", ErrorDetails.class, true);
  /** A data uplink was processed, with the metadata of every gateway. */
  public static final EventDefinition UP_DATA_PROCESS =
      define("ns.up.data.process", "successfully processed data message", UplinkMessage.class, true);
  /** A data uplink was forwarded to the Application Server. */
  public static final EventDefinition UP_DATA_FORWARD =
      define("ns.up.data.forward", "forward data message to Application Server",
          ApplicationUp.class, true);
  /** A join-request was received for this device. */
  public static final EventDefinition UP_JOIN_RECEIVE =
      define("ns.up.join.receive", "receive join-request", UplinkMessage.class, true);
  /** A join-request was dropped. */
  public static final EventDefinition UP_JOIN_DROP =
      define("ns.up.join.drop", "drop join-request", ErrorDetails.class, true);
  /** The join-request is sent to the cluster-local Join Server. */
  public static final EventDefinition UP_JOIN_CLUSTER_ATTEMPT =
      define("ns.up.join.cluster.attempt", "send join-request to cluster-local Join Server",
          JoinRequest.class, true);
  /** The Join Server accepted the join-request (keys stripped). */
  public static final EventDefinition UP_JOIN_CLUSTER_SUCCESS =
      define("ns.up.join.cluster.success", "join-request to cluster-local Join Server succeeded",
          JoinResponse.class, true);
  /** The Join Server refused the join-request. */
  public static final EventDefinition UP_JOIN_CLUSTER_FAIL =
      define("ns.up.join.cluster.fail", "join-request to cluster-local Join Server failed",
          ErrorDetails.class, true);
  /** The join-request was processed. */
  public static final EventDefinition UP_JOIN_PROCESS =
      define("ns.up.join.process", "successfully processed join-request", UplinkMessage.class, true);
  /** The join-accept was forwarded to the Application Server (without AppSKey). */
  public static final EventDefinition UP_JOIN_ACCEPT_FORWARD =
      define("ns.up.join.accept.forward", "forward join-accept to Application Server",
          ApplicationUp.class, true);
  /** A data downlink is being scheduled. */
  public static final EventDefinition DOWN_DATA_SCHEDULE_ATTEMPT =
      define("ns.down.data.schedule.attempt",
          "schedule data downlink for transmission on Gateway Server", DownlinkMessage.class, true);
  /** A data downlink was scheduled. */
  public static final EventDefinition DOWN_DATA_SCHEDULE_SUCCESS =
      define("ns.down.data.schedule.success",
          "successfully scheduled data downlink for transmission on Gateway Server",
          ScheduleDownlinkResponse.class, true);
  /** The Gateway Server refused a data downlink. */
  public static final EventDefinition DOWN_DATA_SCHEDULE_FAIL =
      define("ns.down.data.schedule.fail",
          "failed to schedule data downlink for transmission on Gateway Server",
          ErrorDetails.class, true);
  /** A join-accept is being scheduled. */
  public static final EventDefinition DOWN_JOIN_SCHEDULE_ATTEMPT =
      define("ns.down.join.schedule.attempt",
          "schedule join-accept for transmission on Gateway Server", DownlinkMessage.class, true);
  /** A join-accept was scheduled. */
  public static final EventDefinition DOWN_JOIN_SCHEDULE_SUCCESS =
      define("ns.down.join.schedule.success",
          "successfully scheduled join-accept for transmission on Gateway Server",
          ScheduleDownlinkResponse.class, true);
  /** The Gateway Server refused a join-accept. */
  public static final EventDefinition DOWN_JOIN_SCHEDULE_FAIL =
      define("ns.down.join.schedule.fail",
          "failed to schedule join-accept for transmission on Gateway Server",
          ErrorDetails.class, true);
  /** The gateway reported a successful transmission. */
  public static final EventDefinition DOWN_TRANSMISSION_SUCCESS =
      define("ns.down.transmission.success", "downlink successfully transmitted",
          DownlinkMessage.class, true);
  /** The gateway reported a failed transmission. */
  public static final EventDefinition DOWN_TRANSMISSION_FAIL =
      define("ns.down.transmission.fail", "failed to transmit downlink", ErrorDetails.class, true);

  // MAC commands (LoRaWAN 1.1 §5): ns.mac.<command>.<kind>, data MACCommand.<Command>.

  private static EventDefinition mac(String name, String description) {
    return define("ns.mac." + name, description, null, false);
  }

  private static EventDefinition macData(String name, String description,
      Class<? extends Message> data) {
    return define("ns.mac." + name, description, data, false);
  }

  /** LinkCheckReq received. */
  public static final EventDefinition MAC_LINK_CHECK_REQUEST =
      mac("link_check.request", "link check request received");
  /** LinkCheckAns enqueued. */
  public static final EventDefinition MAC_LINK_CHECK_ANSWER =
      macData("link_check.answer", "link check answer enqueued", MACCommand.LinkCheckAns.class);
  /** DeviceTimeReq received. */
  public static final EventDefinition MAC_DEVICE_TIME_REQUEST =
      mac("device_time.request", "device time request received");
  /** DeviceTimeAns enqueued. */
  public static final EventDefinition MAC_DEVICE_TIME_ANSWER =
      macData("device_time.answer", "device time answer enqueued", MACCommand.DeviceTimeAns.class);
  /** ResetInd received. */
  public static final EventDefinition MAC_RESET_INDICATION =
      macData("reset.indication", "reset indication received", MACCommand.ResetInd.class);
  /** ResetConf enqueued. */
  public static final EventDefinition MAC_RESET_CONFIRMATION =
      macData("reset.confirmation", "reset confirmation enqueued", MACCommand.ResetConf.class);
  /** RekeyInd received. */
  public static final EventDefinition MAC_REKEY_INDICATION =
      macData("rekey.indication", "rekey indication received", MACCommand.RekeyInd.class);
  /** RekeyConf enqueued. */
  public static final EventDefinition MAC_REKEY_CONFIRMATION =
      macData("rekey.confirmation", "rekey confirmation enqueued", MACCommand.RekeyConf.class);
  /** DeviceModeInd received. */
  public static final EventDefinition MAC_DEVICE_MODE_INDICATION =
      macData("device_mode.indication", "device mode indication received",
          MACCommand.DeviceModeInd.class);
  /** DeviceModeConf enqueued. */
  public static final EventDefinition MAC_DEVICE_MODE_CONFIRMATION =
      macData("device_mode.confirmation", "device mode confirmation enqueued",
          MACCommand.DeviceModeConf.class);
  /** DevStatusReq enqueued. */
  public static final EventDefinition MAC_DEV_STATUS_REQUEST =
      mac("dev_status.request", "device status request enqueued");
  /** DevStatusAns received. */
  public static final EventDefinition MAC_DEV_STATUS_ANSWER =
      macData("dev_status.answer", "device status answer received", MACCommand.DevStatusAns.class);
  /** LinkADRReq enqueued. */
  public static final EventDefinition MAC_LINK_ADR_REQUEST =
      macData("link_adr.request", "link ADR request enqueued", MACCommand.LinkADRReq.class);
  /** LinkADRAns accepted every change. */
  public static final EventDefinition MAC_LINK_ADR_ANSWER_ACCEPT =
      macData("link_adr.answer.accept", "link ADR request accepted", MACCommand.LinkADRAns.class);
  /** LinkADRAns refused some change. */
  public static final EventDefinition MAC_LINK_ADR_ANSWER_REJECT =
      macData("link_adr.answer.reject", "link ADR request rejected", MACCommand.LinkADRAns.class);
  /** DutyCycleReq enqueued. */
  public static final EventDefinition MAC_DUTY_CYCLE_REQUEST =
      macData("duty_cycle.request", "duty cycle request enqueued", MACCommand.DutyCycleReq.class);
  /** DutyCycleAns received. */
  public static final EventDefinition MAC_DUTY_CYCLE_ANSWER =
      mac("duty_cycle.answer", "duty cycle answer received");
  /** RXTimingSetupReq enqueued. */
  public static final EventDefinition MAC_RX_TIMING_SETUP_REQUEST =
      macData("rx_timing_setup.request", "RX timing setup request enqueued",
          MACCommand.RxTimingSetupReq.class);
  /** RXTimingSetupAns received. */
  public static final EventDefinition MAC_RX_TIMING_SETUP_ANSWER =
      mac("rx_timing_setup.answer", "RX timing setup answer received");
  /** RXParamSetupReq enqueued. */
  public static final EventDefinition MAC_RX_PARAM_SETUP_REQUEST =
      macData("rx_param_setup.request", "RX parameter setup request enqueued",
          MACCommand.RxParamSetupReq.class);
  /** RXParamSetupAns acknowledged every field. */
  public static final EventDefinition MAC_RX_PARAM_SETUP_ANSWER_ACCEPT =
      macData("rx_param_setup.answer.accept", "RX parameter setup request accepted",
          MACCommand.RxParamSetupAns.class);
  /** RXParamSetupAns refused a field. */
  public static final EventDefinition MAC_RX_PARAM_SETUP_ANSWER_REJECT =
      macData("rx_param_setup.answer.reject", "RX parameter setup request rejected",
          MACCommand.RxParamSetupAns.class);
  /** NewChannelReq enqueued. */
  public static final EventDefinition MAC_NEW_CHANNEL_REQUEST =
      macData("new_channel.request", "new channel request enqueued",
          MACCommand.NewChannelReq.class);
  /** NewChannelAns acknowledged both fields. */
  public static final EventDefinition MAC_NEW_CHANNEL_ANSWER_ACCEPT =
      macData("new_channel.answer.accept", "new channel request accepted",
          MACCommand.NewChannelAns.class);
  /** NewChannelAns refused a field. */
  public static final EventDefinition MAC_NEW_CHANNEL_ANSWER_REJECT =
      macData("new_channel.answer.reject", "new channel request rejected",
          MACCommand.NewChannelAns.class);
  /** DlChannelReq enqueued. */
  public static final EventDefinition MAC_DL_CHANNEL_REQUEST =
      macData("dl_channel.request", "downlink channel request enqueued",
          MACCommand.DLChannelReq.class);
  /** DlChannelAns acknowledged both fields. */
  public static final EventDefinition MAC_DL_CHANNEL_ANSWER_ACCEPT =
      macData("dl_channel.answer.accept", "downlink channel request accepted",
          MACCommand.DLChannelAns.class);
  /** DlChannelAns refused a field. */
  public static final EventDefinition MAC_DL_CHANNEL_ANSWER_REJECT =
      macData("dl_channel.answer.reject", "downlink channel request rejected",
          MACCommand.DLChannelAns.class);
  /** TxParamSetupReq enqueued. */
  public static final EventDefinition MAC_TX_PARAM_SETUP_REQUEST =
      macData("tx_param_setup.request", "TX parameter setup request enqueued",
          MACCommand.TxParamSetupReq.class);
  /** TxParamSetupAns received. */
  public static final EventDefinition MAC_TX_PARAM_SETUP_ANSWER =
      mac("tx_param_setup.answer", "TX parameter setup answer received");
  /** ADRParamSetupReq enqueued. */
  public static final EventDefinition MAC_ADR_PARAM_SETUP_REQUEST =
      macData("adr_param_setup.request", "ADR parameter setup request enqueued",
          MACCommand.ADRParamSetupReq.class);
  /** ADRParamSetupAns received. */
  public static final EventDefinition MAC_ADR_PARAM_SETUP_ANSWER =
      mac("adr_param_setup.answer", "ADR parameter setup answer received");
  /** A device sent an answer nobody asked for, or an unknown command. */
  public static final EventDefinition MAC_COMMAND_UNKNOWN =
      macData("command.unknown", "unknown MAC command", MACCommand.class);
  /** MAC commands could not be parsed. */
  public static final EventDefinition MAC_COMMAND_PARSE_FAIL =
      define("ns.mac.command.parse.fail", "failed to parse MAC command", ErrorDetails.class, true);
  /** A request went unanswered and was retried or abandoned. */
  public static final EventDefinition MAC_COMMAND_UNANSWERED =
      macData("command.unanswered", "MAC command unanswered", MACCommand.class);

  /** Every definition above. */
  public static List<EventDefinition> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** Registers every definition in {@code catalogue}. */
  public static void registerAll(EventCatalogue catalogue) {
    catalogue.register(ALL);
  }
}
