package dev.loralab.frequencyplans.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.Bands;
import dev.loralab.frequencyplans.Channel;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.frequencyplans.FrequencyPlan.SingleDataRateChannel;
import dev.loralab.frequencyplans.FrequencyPlanDescription;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.frequencyplans.SubBand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Turns a plan's YAML documents (base first, then each overlay) into a {@link FrequencyPlan}: the
 * overlay rule replaces any non-empty top-level field as a whole (lists are not merged), then the
 * band's defaults fill what the plan leaves out, and every channel is checked against the band's
 * data rates and the plan's sub-bands.
 */
public final class PlanAssembler {

  /** One YAML document of the chain, with the file it came from. */
  public record Document(String file, JsonNode tree) {}

  private PlanAssembler() {}

  /**
   * Builds the plan.
   *
   * @param description the index entry of the requested plan
   * @param chain documents from the root base plan to the requested plan
   */
  public static FrequencyPlan assemble(FrequencyPlanDescription description, List<Document> chain) {
    String planId = description.id();
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    Map<String, String> origin = new HashMap<>();
    for (Document d : chain) {
      JsonNode tree = d.tree();
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        continue;
      }
      if (!tree.isObject()) {
        throw FrequencyPlanException.inPlan(planId, d.file(), null, "must be a YAML mapping of plan fields");
      }
      for (Map.Entry<String, JsonNode> f : tree.properties()) {
        JsonNode v = f.getValue();
        if (v == null || v.isNull() || (v.isContainerNode() && v.isEmpty())) {
          continue;
        }
        merged.set(f.getKey(), v);
        origin.put(f.getKey(), d.file());
      }
    }
    String leafFile = chain.get(chain.size() - 1).file();
    PlanNode root = PlanNode.root(merged, planId, origin, leafFile);
    Band band = Bands.byId(description.bandId());

    PlanNode bandIdNode = root.field("band-id");
    Optional<String> fileBand = bandIdNode.optionalString();
    if (fileBand.isPresent() && !fileBand.get().equals(band.id())) {
      throw bandIdNode.error("'" + fileBand.get() + "' does not match the index band-id '" + band.id() + "'");
    }

    List<SubBand> subBands = new ArrayList<>();
    PlanNode subs = root.field("sub-bands");
    for (int i = 0; i < subs.size(); i++) {
      PlanNode s = subs.element(i);
      long min = s.field("min-frequency").requireLong();
      long max = s.field("max-frequency").requireLong();
      double duty = s.field("duty-cycle").optionalDouble().orElse(1.0);
      OptionalDouble eirp = s.field("max-eirp").optionalDouble().map(OptionalDouble::of).orElse(OptionalDouble.empty());
      subBands.add(build(s, () -> new SubBand(min, max, duty, eirp)));
    }
    if (subBands.isEmpty()) {
      subBands.addAll(band.subBands());
    }

    List<Channel> uplinks = channels(root.field("uplink-channels"), band);
    List<Channel> downlinks = channels(root.field("downlink-channels"), band);
    if (downlinks.isEmpty()) {
      downlinks = band.downlinkChannels();
    }
    Optional<SingleDataRateChannel> loraStandard = singleChannel(root.field("lora-standard-channel"), band);
    Optional<SingleDataRateChannel> fsk = singleChannel(root.field("fsk-channel"), band);
    Optional<SingleDataRateChannel> pingSlot = singleChannel(root.field("ping-slot"), band);

    PlanNode rx2Dr = root.field("rx2-default-data-rate");
    Optional<Integer> rx2DataRate = rx2Dr.optionalInt(0, 15);
    rx2DataRate.ifPresent(dr -> checkDataRate(rx2Dr, dr, band));
    SingleDataRateChannel rx2 = singleChannel(root.field("rx2-channel"), band)
        .orElseGet(() -> new SingleDataRateChannel(
            band.rx2().frequencyHz(), rx2DataRate.orElse(band.rx2().dataRate()), 0));

    PlanNode toa = root.field("time-off-air");
    FrequencyPlan.TimeOffAir timeOffAir = toa.isMissing()
        ? FrequencyPlan.TimeOffAir.none()
        : build(toa, () -> new FrequencyPlan.TimeOffAir(
            toa.field("fraction").optionalDouble().orElse(0.0),
            toa.field("duration").optionalDuration().orElse(Duration.ZERO)));

    PlanNode dwell = root.field("dwell-time");
    boolean dwellUp = dwell.field("uplinks").optionalBoolean()
        .orElse(band.bootDwellTime().uplinks().orElse(false));
    boolean dwellDown = dwell.field("downlinks").optionalBoolean()
        .orElse(band.bootDwellTime().downlinks().orElse(false));
    Duration dwellDuration = dwell.field("duration").optionalDuration()
        .orElse(dwellUp || dwellDown ? Duration.ofMillis(400) : Duration.ZERO);
    FrequencyPlan.DwellTime dwellTime = build(dwell, () -> new FrequencyPlan.DwellTime(dwellUp, dwellDown, dwellDuration));

    PlanNode lbt = root.field("listen-before-talk");
    Optional<FrequencyPlan.ListenBeforeTalk> listenBeforeTalk = lbt.isMissing()
        ? Optional.empty()
        : Optional.of(build(lbt, () -> new FrequencyPlan.ListenBeforeTalk(
            lbt.field("rssi-target").requireDouble(),
            lbt.field("rssi-offset").optionalDouble().orElse(0.0),
            lbt.field("scan-time").optionalDuration().orElse(Duration.ZERO))));

    double maxEirp = root.field("max-eirp").optionalDouble().orElse(band.defaultMaxEirpDbm());

    List<FrequencyPlan.Radio> radios = new ArrayList<>();
    PlanNode rs = root.field("radios");
    for (int i = 0; i < rs.size(); i++) {
      PlanNode r = rs.element(i);
      PlanNode tx = r.field("tx");
      OptionalLong txMin = tx.field("min-frequency").isMissing()
          ? OptionalLong.empty() : OptionalLong.of(tx.field("min-frequency").requireLong());
      OptionalLong txMax = tx.field("max-frequency").isMissing()
          ? OptionalLong.empty() : OptionalLong.of(tx.field("max-frequency").requireLong());
      boolean enable = r.field("enable").optionalBoolean().orElse(false);
      String chip = r.field("chip-type").optionalString().orElse("");
      long freq = r.field("frequency").requireLong();
      double rssiOffset = r.field("rssi-offset").optionalDouble().orElse(0.0);
      radios.add(build(r, () -> new FrequencyPlan.Radio(enable, chip, freq, rssiOffset, txMin, txMax)));
    }
    int clockSource = root.field("clock-source").optionalInt(0, 255).orElse(0);

    checkInSubBands(root.field("uplink-channels"), uplinks, subBands);
    if (!root.field("downlink-channels").isMissing()) {
      checkInSubBands(root.field("downlink-channels"), downlinks, subBands);
    }
    loraStandard.ifPresent(c -> checkInSubBand(root.field("lora-standard-channel").field("frequency"), c.frequencyHz(), subBands));
    fsk.ifPresent(c -> checkInSubBand(root.field("fsk-channel").field("frequency"), c.frequencyHz(), subBands));
    pingSlot.ifPresent(c -> checkInSubBand(root.field("ping-slot").field("frequency"), c.frequencyHz(), subBands));
    PlanNode rx2Node = root.field("rx2-channel");
    checkInSubBand(rx2Node.field("frequency"), rx2.frequencyHz(), subBands);

    List<Channel> finalDownlinks = downlinks;
    return build(root, () -> new FrequencyPlan(
        planId,
        band.id(),
        description.name(),
        description.description(),
        description.baseFrequencyMhz(),
        subBands,
        uplinks,
        finalDownlinks,
        loraStandard,
        fsk,
        rx2,
        timeOffAir,
        dwellTime,
        listenBeforeTalk,
        maxEirp,
        pingSlot,
        radios,
        clockSource));
  }

  private static List<Channel> channels(PlanNode list, Band band) {
    List<Channel> result = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      PlanNode c = list.element(i);
      long freq = c.field("frequency").requireLong();
      PlanNode minNode = c.field("min-data-rate");
      PlanNode maxNode = c.field("max-data-rate");
      int min = minNode.optionalInt(0, 15).orElse(0);
      int max = maxNode.optionalInt(0, 15).orElse(min);
      checkDataRate(minNode, min, band);
      checkDataRate(maxNode, max, band);
      if (min > max) {
        throw maxNode.error(max + " is below min-data-rate " + min);
      }
      int radio = c.field("radio").optionalInt(0, 255).orElse(0);
      result.add(build(c, () -> new Channel(freq, min, max, radio)));
    }
    return result;
  }

  private static Optional<SingleDataRateChannel> singleChannel(PlanNode node, Band band) {
    if (node.isMissing()) {
      return Optional.empty();
    }
    long freq = node.field("frequency").requireLong();
    PlanNode drNode = node.field("data-rate");
    int dr = drNode.requireInt(0, 15);
    checkDataRate(drNode, dr, band);
    int radio = node.field("radio").optionalInt(0, 255).orElse(0);
    return Optional.of(build(node, () -> new SingleDataRateChannel(freq, dr, radio)));
  }

  private static void checkDataRate(PlanNode node, int dr, Band band) {
    if (!band.dataRates().containsKey(dr)) {
      throw node.error(dr + " is not a data rate of band " + band.id() + "; defined: " + band.dataRates().keySet());
    }
  }

  private static void checkInSubBands(PlanNode list, List<Channel> channels, List<SubBand> subBands) {
    for (int i = 0; i < channels.size(); i++) {
      checkInSubBand(list.element(i).field("frequency"), channels.get(i).frequencyHz(), subBands);
    }
  }

  private static void checkInSubBand(PlanNode node, long frequencyHz, List<SubBand> subBands) {
    for (SubBand s : subBands) {
      if (s.contains(frequencyHz)) {
        return;
      }
    }
    throw node.error(frequencyHz + " is outside every sub-band");
  }

  /** Runs a record constructor and attaches the plan, file and field to its validation error. */
  private static <T> T build(PlanNode node, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (FrequencyPlanException e) {
      if (e.planId() != null) {
        throw e;
      }
      throw node.error(e.getMessage());
    }
  }
}
