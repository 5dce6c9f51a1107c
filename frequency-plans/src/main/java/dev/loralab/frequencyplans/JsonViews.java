package dev.loralab.frequencyplans;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON renderings of bands and frequency plans for the CLI and HTTP API: snake_case field names,
 * frequencies in Hz, durations in milliseconds ({@code *_ms}).
 */
public final class JsonViews {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private JsonViews() {}

  /** A band with all its tables. */
  public static ObjectNode band(Band b) {
    ObjectNode o = F.objectNode();
    o.put("id", b.id());
    ObjectNode drs = o.putObject("data_rates");
    for (Map.Entry<Integer, DataRate> e : b.dataRates().entrySet()) {
      ObjectNode d = dataRate(e.getValue());
      Band.MaxMacPayloadSize m = b.maxMacPayloadSizes().get(e.getKey());
      d.put("max_mac_payload_size", m.noDwellTime());
      d.put("max_mac_payload_size_dwell_time", m.dwellTime());
      drs.set(Integer.toString(e.getKey()), d);
    }
    o.put("max_uplink_channels", b.maxUplinkChannels());
    o.set("uplink_channels", channels(b.uplinkChannels(), false));
    o.put("max_downlink_channels", b.maxDownlinkChannels());
    o.set("downlink_channels", channels(b.downlinkChannels(), false));
    o.set("sub_bands", subBands(b.subBands()));
    o.put("default_max_eirp_dbm", b.defaultMaxEirpDbm());
    ArrayNode tx = o.putArray("tx_power_offsets_db");
    b.txPowerOffsetsDb().forEach(tx::add);
    o.put("cf_list_type", b.cfListType().name());
    o.put("channel_plan", b.channelPlan().name());
    o.put("rx1_channel_rule", b.rx1ChannelRule().name());
    ArrayNode rx1 = o.putArray("rx1_data_rate_table");
    Band.Rx1DataRateRule rule = b.rx1DataRateRule();
    for (int up = 0; up <= rule.maxUplinkDataRate(); up++) {
      ArrayNode row = F.arrayNode();
      for (int off = 0; off <= rule.maxOffset(); off++) {
        row.add(b.rx1DataRate(up, off, false));
      }
      rx1.add(row);
    }
    ObjectNode rx2 = o.putObject("rx2");
    rx2.put("frequency", b.rx2().frequencyHz());
    rx2.put("data_rate", b.rx2().dataRate());
    ObjectNode beacon = o.putObject("beacon");
    beacon.put("data_rate", b.beacon().dataRate());
    beacon.put("coding_rate", b.beacon().codingRate());
    ArrayNode bf = beacon.putArray("frequencies");
    b.beacon().frequencies().forEach(bf::add);
    ArrayNode ps = o.putArray("ping_slot_frequencies");
    b.pingSlotFrequencies().forEach(ps::add);
    ObjectNode dwell = o.putObject("boot_dwell_time");
    putOptional(dwell, "uplinks", b.bootDwellTime().uplinks());
    putOptional(dwell, "downlinks", b.bootDwellTime().downlinks());
    o.put("tx_param_setup_req_supported", b.txParamSetupReqSupported());
    o.put("max_adr_data_rate", b.maxAdrDataRate());
    o.put("receive_delay_1_ms", b.receiveDelay1().toMillis());
    o.put("receive_delay_2_ms", b.receiveDelay2().toMillis());
    o.put("join_accept_delay_1_ms", b.joinAcceptDelay1().toMillis());
    o.put("join_accept_delay_2_ms", b.joinAcceptDelay2().toMillis());
    o.put("max_fcnt_gap", b.maxFCntGap());
    o.put("adr_ack_limit", b.adrAckLimit());
    o.put("adr_ack_delay", b.adrAckDelay());
    return o;
  }

  /** A short list entry per band. */
  public static ArrayNode bandList(Collection<Band> bands) {
    ArrayNode a = F.arrayNode();
    for (Band b : bands) {
      ObjectNode o = a.addObject();
      o.put("id", b.id());
      o.put("channel_plan", b.channelPlan().name());
      o.put("default_max_eirp_dbm", b.defaultMaxEirpDbm());
    }
    return a;
  }

  /** The index entries. */
  public static ArrayNode planList(Collection<FrequencyPlanDescription> descriptions) {
    ArrayNode a = F.arrayNode();
    for (FrequencyPlanDescription d : descriptions) {
      ObjectNode o = a.addObject();
      o.put("id", d.id());
      o.put("band_id", d.bandId());
      d.baseId().ifPresent(id -> o.put("base_id", id));
      o.put("name", d.name());
      o.put("description", d.description());
      o.put("base_frequency", d.baseFrequencyMhz());
      o.put("file", d.file());
      o.put("gateways", d.gateways());
      o.put("user_defined", d.userDefined());
    }
    return a;
  }

  /** A resolved frequency plan. */
  public static ObjectNode plan(FrequencyPlan p) {
    ObjectNode o = F.objectNode();
    o.put("id", p.id());
    o.put("band_id", p.bandId());
    o.put("name", p.name());
    o.put("description", p.description());
    o.put("base_frequency", p.baseFrequencyMhz());
    o.set("sub_bands", subBands(p.subBands()));
    o.set("uplink_channels", channels(p.uplinkChannels(), true));
    o.set("downlink_channels", channels(p.downlinkChannels(), false));
    p.loraStandardChannel().ifPresent(c -> o.set("lora_standard_channel", single(c)));
    p.fskChannel().ifPresent(c -> o.set("fsk_channel", single(c)));
    o.set("rx2_channel", single(p.rx2Channel()));
    p.pingSlot().ifPresent(c -> o.set("ping_slot", single(c)));
    ObjectNode toa = o.putObject("time_off_air");
    toa.put("fraction", p.timeOffAir().fraction());
    toa.put("duration_ms", p.timeOffAir().duration().toMillis());
    ObjectNode dwell = o.putObject("dwell_time");
    dwell.put("uplinks", p.dwellTime().uplinks());
    dwell.put("downlinks", p.dwellTime().downlinks());
    dwell.put("duration_ms", p.dwellTime().duration().toMillis());
    p.listenBeforeTalk().ifPresent(l -> {
      ObjectNode lbt = o.putObject("listen_before_talk");
      lbt.put("rssi_target", l.rssiTargetDbm());
      lbt.put("rssi_offset", l.rssiOffsetDb());
      lbt.put("scan_time_us", l.scanTime().toNanos() / 1000);
    });
    o.put("max_eirp_dbm", p.maxEirpDbm());
    ArrayNode radios = o.putArray("radios");
    for (FrequencyPlan.Radio r : p.radios()) {
      ObjectNode ro = radios.addObject();
      ro.put("enable", r.enable());
      ro.put("chip_type", r.chipType());
      ro.put("frequency", r.frequencyHz());
      ro.put("rssi_offset", r.rssiOffset());
      r.txMinFrequencyHz().ifPresent(f -> ro.put("tx_min_frequency", f));
      r.txMaxFrequencyHz().ifPresent(f -> ro.put("tx_max_frequency", f));
    }
    o.put("clock_source", p.clockSource());
    return o;
  }

  private static ObjectNode dataRate(DataRate d) {
    ObjectNode o = F.objectNode();
    o.put("modulation", d.modulation().name());
    switch (d.modulation()) {
      case LORA -> {
        o.put("spreading_factor", d.spreadingFactor());
        o.put("bandwidth", d.bandwidthHz());
        o.put("coding_rate", d.codingRate());
      }
      case FSK -> o.put("bit_rate", d.fskBitRate());
      case LR_FHSS -> {
        o.put("operating_channel_width", d.operatingChannelWidthHz());
        o.put("coding_rate", d.codingRate());
      }
    }
    if (d.modulation() != DataRate.Modulation.LR_FHSS) {
      o.put("bit_rate", d.bitRate());
    }
    return o;
  }

  private static ArrayNode channels(List<Channel> channels, boolean withRadio) {
    ArrayNode a = F.arrayNode();
    for (Channel c : channels) {
      ObjectNode o = a.addObject();
      o.put("frequency", c.frequencyHz());
      o.put("min_data_rate", c.minDataRate());
      o.put("max_data_rate", c.maxDataRate());
      if (withRadio) {
        o.put("radio", c.radio());
      }
    }
    return a;
  }

  private static ObjectNode single(FrequencyPlan.SingleDataRateChannel c) {
    ObjectNode o = F.objectNode();
    o.put("frequency", c.frequencyHz());
    o.put("data_rate", c.dataRate());
    o.put("radio", c.radio());
    return o;
  }

  private static ArrayNode subBands(List<SubBand> subBands) {
    ArrayNode a = F.arrayNode();
    for (SubBand s : subBands) {
      ObjectNode o = a.addObject();
      o.put("min_frequency", s.minFrequencyHz());
      o.put("max_frequency", s.maxFrequencyHz());
      o.put("duty_cycle", s.dutyCycle());
      s.maxEirpDbm().ifPresent(e -> o.put("max_eirp_dbm", e));
    }
    return a;
  }

  private static void putOptional(ObjectNode o, String name, Optional<Boolean> value) {
    if (value.isPresent()) {
      o.put(name, value.get());
    } else {
      o.putNull(name);
    }
  }
}
