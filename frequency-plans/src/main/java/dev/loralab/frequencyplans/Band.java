package dev.loralab.frequencyplans;

import java.time.Duration;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The regional parameters of one band (LoRaWAN Regional Parameters RP002-1.0.4): data rates,
 * default channels, sub-bands, RX1/RX2 rules, TX power table, CFList type, LinkADRReq channel-mask
 * semantics and the common timing constants. Obtain instances with {@link Bands#byId(String)}.
 *
 * @param id band ID as The Things Stack names it, e.g. {@code EU_863_870}
 * @param dataRates data-rate index to modulation (RFU indexes absent)
 * @param maxMacPayloadSizes data-rate index to maximum MACPayload size M (no repeater)
 * @param maxUplinkChannels how many uplink channels a device may have (16 or 72)
 * @param uplinkChannels default (join) uplink channels, in channel-index order
 * @param maxDownlinkChannels how many downlink channels exist (16 or 8)
 * @param downlinkChannels default downlink channels
 * @param subBands regulatory sub-bands
 * @param defaultMaxEirpDbm default maximum EIRP in dBm
 * @param txPowerOffsetsDb TXPower index n to the offset from max EIRP (0, −2, −4, …)
 * @param cfListType the JoinAccept CFList type
 * @param channelPlan whether channels are dynamic (16) or fixed (72, US915-like)
 * @param rx1DataRateRule the RX1 data-rate table
 * @param rx1ChannelRule where RX1 goes
 * @param rx2 default RX2 frequency and data rate
 * @param beacon Class B beacon parameters
 * @param pingSlotFrequencies Class B ping-slot frequencies
 * @param bootDwellTime dwell-time settings a device boots with
 * @param txParamSetupReqSupported whether TxParamSetupReq is implemented in the band
 * @param maxAdrDataRate the highest data rate ADR may assign
 * @param receiveDelay1 RECEIVE_DELAY1
 * @param receiveDelay2 RECEIVE_DELAY2
 * @param joinAcceptDelay1 JOIN_ACCEPT_DELAY1
 * @param joinAcceptDelay2 JOIN_ACCEPT_DELAY2
 * @param maxFCntGap MAX_FCNT_GAP
 * @param adrAckLimit ADR_ACK_LIMIT
 * @param adrAckDelay ADR_ACK_DELAY
 */
public record Band(
    String id,
    SortedMap<Integer, DataRate> dataRates,
    SortedMap<Integer, MaxMacPayloadSize> maxMacPayloadSizes,
    int maxUplinkChannels,
    List<Channel> uplinkChannels,
    int maxDownlinkChannels,
    List<Channel> downlinkChannels,
    List<SubBand> subBands,
    double defaultMaxEirpDbm,
    List<Integer> txPowerOffsetsDb,
    CfListType cfListType,
    ChannelPlan channelPlan,
    Rx1DataRateRule rx1DataRateRule,
    Rx1ChannelRule rx1ChannelRule,
    Rx2Parameters rx2,
    Beacon beacon,
    List<Long> pingSlotFrequencies,
    DwellTime bootDwellTime,
    boolean txParamSetupReqSupported,
    int maxAdrDataRate,
    Duration receiveDelay1,
    Duration receiveDelay2,
    Duration joinAcceptDelay1,
    Duration joinAcceptDelay2,
    int maxFCntGap,
    int adrAckLimit,
    int adrAckDelay) {

  /** JoinAccept CFList type (RP002 §2.3.1–2.3.2). */
  public enum CfListType {
    /** Type 0: five extra channel frequencies. */
    FREQUENCIES,
    /** Type 1: channel masks (fixed-channel bands). */
    CHANNEL_MASKS
  }

  /** Channel plan family, which decides LinkADRReq ChMaskCntl semantics. */
  public enum ChannelPlan {
    /** Up to 16 channels defined by the network (EU868-like): ChMaskCntl 0 and 6 only. */
    DYNAMIC_16,
    /** 64 × 125 kHz + 8 × 500 kHz fixed channels (US915, AU915): blocks of 16, ChMaskCntl 0..7. */
    FIXED_72
  }

  /** Where the RX1 downlink goes. */
  public enum Rx1ChannelRule {
    /** Same frequency as the uplink (dynamic-channel bands). */
    SAME_FREQUENCY,
    /** Downlink channel = uplink channel index mod 8 (US915, AU915). */
    UPLINK_CHANNEL_MOD_8
  }

  /**
   * Maximum MACPayload size M per data rate, without and with uplink dwell time. 0 means the data
   * rate is not allowed with that dwell-time setting.
   */
  public record MaxMacPayloadSize(int noDwellTime, int dwellTime) {
    /** Validates the sizes. */
    public MaxMacPayloadSize {
      if (noDwellTime < 0 || noDwellTime > 250 || dwellTime < 0 || dwellTime > 250) {
        throw new FrequencyPlanException("max MACPayload: 0..250 expected, found " + noDwellTime + "/" + dwellTime);
      }
    }
  }

  /** RX2 default frequency and data rate. */
  public record Rx2Parameters(long frequencyHz, int dataRate) {
    /** Validates the fields. */
    public Rx2Parameters {
      if (frequencyHz <= 0 || dataRate < 0 || dataRate > 15) {
        throw new FrequencyPlanException("RX2: positive frequency and data rate 0..15 expected, found " + frequencyHz + "/" + dataRate);
      }
    }
  }

  /** Class B beacon data rate, coding rate and frequencies. */
  public record Beacon(int dataRate, String codingRate, List<Long> frequencies) {
    /** Copies the frequency list. */
    public Beacon {
      frequencies = List.copyOf(frequencies);
      if (codingRate == null) {
        throw new FrequencyPlanException("beacon: coding rate expected, found null");
      }
    }
  }

  /**
   * Dwell-time flags; an empty value means the band leaves it unset (the device's default applies).
   */
  public record DwellTime(Optional<Boolean> uplinks, Optional<Boolean> downlinks) {
    /** Replaces nulls by empty. */
    public DwellTime {
      uplinks = uplinks == null ? Optional.empty() : uplinks;
      downlinks = downlinks == null ? Optional.empty() : downlinks;
    }

    /** Neither flag set. */
    public static DwellTime unset() {
      return new DwellTime(Optional.empty(), Optional.empty());
    }
  }

  /**
   * The RX1 data-rate table as a rule (RP002 "RX1 data rate" tables), valid for uplink data rates
   * {@code 0..maxUplinkDataRate} and offsets {@code 0..maxOffset}.
   *
   * @param kind the table family
   * @param maxUplinkDataRate highest uplink data-rate index in the table
   * @param maxOffset highest RX1DROffset
   * @param uplinkAliases uplink data rates (LR-FHSS) that use another data rate's row
   * @param base for {@link Kind#FIXED_500KHZ}: the downlink DR for uplink DR0 at offset 0
   * @param dwellMinDataRate for {@link Kind#AS923}: lowest RX1 DR when downlink dwell time is on
   */
  public record Rx1DataRateRule(
      Kind kind, int maxUplinkDataRate, int maxOffset, Map<Integer, Integer> uplinkAliases, int base, int dwellMinDataRate) {

    /** Table families. */
    public enum Kind {
      /** max(DRup − offset, 0) (EU868, KR920). */
      SUBTRACT,
      /** AS923 and IN865: offsets 6 and 7 raise the DR; result clamped to [min, 7]. */
      AS923,
      /** 500 kHz downlink DRs 8..13 (US915, AU915): clamp(base + DRup − offset, 8, 13). */
      FIXED_500KHZ
    }

    /** Copies the alias map. */
    public Rx1DataRateRule {
      uplinkAliases = Map.copyOf(uplinkAliases);
      if (kind == null) {
        throw new FrequencyPlanException("RX1 data-rate rule: kind expected, found null");
      }
    }

    int apply(String bandId, int uplinkDataRate, int offset, boolean downlinkDwellTime) {
      if (uplinkDataRate < 0 || uplinkDataRate > maxUplinkDataRate) {
        throw new FrequencyPlanException(
            "band " + bandId + ": uplink data rate 0.." + maxUplinkDataRate + " expected, found " + uplinkDataRate);
      }
      if (offset < 0 || offset > maxOffset) {
        throw new FrequencyPlanException(
            "band " + bandId + ": RX1DROffset 0.." + maxOffset + " expected, found " + offset);
      }
      int up = uplinkAliases.getOrDefault(uplinkDataRate, uplinkDataRate);
      return switch (kind) {
        case SUBTRACT -> Math.max(up - offset, 0);
        case AS923 -> {
          int effective = offset <= 5 ? offset : 5 - offset;
          int min = downlinkDwellTime ? dwellMinDataRate : 0;
          yield Math.min(Math.max(up - effective, min), 7);
        }
        case FIXED_500KHZ -> Math.min(Math.max(base + up - offset, 8), 13);
      };
    }
  }

  /** Validates and copies the tables. */
  public Band {
    if (id == null || id.isEmpty()) {
      throw new FrequencyPlanException("band: id expected");
    }
    dataRates = new DataRateTable(dataRates);
    maxMacPayloadSizes = Collections.unmodifiableSortedMap(new TreeMap<>(maxMacPayloadSizes));
    if (!dataRates.keySet().equals(maxMacPayloadSizes.keySet())) {
      throw new FrequencyPlanException("band " + id + ": max MACPayload sizes must cover exactly the data rates");
    }
    uplinkChannels = List.copyOf(uplinkChannels);
    downlinkChannels = List.copyOf(downlinkChannels);
    subBands = List.copyOf(subBands);
    txPowerOffsetsDb = List.copyOf(txPowerOffsetsDb);
    pingSlotFrequencies = List.copyOf(pingSlotFrequencies);
    if (uplinkChannels.size() > maxUplinkChannels || downlinkChannels.size() > maxDownlinkChannels) {
      throw new FrequencyPlanException("band " + id + ": more default channels than the band allows");
    }
    if (rx1ChannelRule == Rx1ChannelRule.UPLINK_CHANNEL_MOD_8 && downlinkChannels.size() != 8) {
      throw new FrequencyPlanException("band " + id + ": the mod-8 RX1 rule needs 8 downlink channels");
    }
  }

  /** The modulation of a data-rate index. */
  public DataRate dataRate(int index) {
    DataRate dr = dataRates.get(index);
    if (dr == null) {
      throw new FrequencyPlanException("band " + id + ": data rate " + index + " is not defined; defined: " + dataRates.keySet());
    }
    return dr;
  }

  /**
   * The data-rate index of a modulation, if the band defines it; the lowest index if several
   * indexes share the modulation (e.g. US915 DR4 and DR12). A hash lookup, precomputed with the band.
   */
  public Optional<Integer> dataRateIndex(DataRate dataRate) {
    return ((DataRateTable) dataRates).indexOf(dataRate);
  }

  /**
   * Maximum MACPayload size M (PHYPayload max is M + 5).
   *
   * @param dataRate data-rate index
   * @param dwellTime whether the 400 ms dwell time applies
   * @return M, or 0 if the data rate may not be used with that dwell-time setting
   */
  public int maxMacPayloadSize(int dataRate, boolean dwellTime) {
    dataRate(dataRate);
    MaxMacPayloadSize m = maxMacPayloadSizes.get(dataRate);
    return dwellTime ? m.dwellTime() : m.noDwellTime();
  }

  /** RX1 data rate for an uplink data rate and RX1DROffset; {@code downlinkDwellTime} as configured. */
  public int rx1DataRate(int uplinkDataRate, int rx1DrOffset, boolean downlinkDwellTime) {
    return rx1DataRateRule.apply(id, uplinkDataRate, rx1DrOffset, downlinkDwellTime);
  }

  /** RX1 downlink channel index for an uplink channel index (0..255). */
  public int rx1Channel(int uplinkChannelIndex) {
    if (uplinkChannelIndex < 0 || uplinkChannelIndex > 255) {
      throw new FrequencyPlanException("band " + id + ": uplink channel index 0..255 expected, found " + uplinkChannelIndex);
    }
    return rx1ChannelRule == Rx1ChannelRule.SAME_FREQUENCY ? uplinkChannelIndex : uplinkChannelIndex % 8;
  }

  /**
   * RX1 frequency: the uplink frequency in dynamic bands; in US915/AU915 the band's downlink
   * channel {@code uplinkChannelIndex mod 8}.
   */
  public long rx1Frequency(long uplinkFrequencyHz, int uplinkChannelIndex) {
    int ch = rx1Channel(uplinkChannelIndex);
    return rx1ChannelRule == Rx1ChannelRule.SAME_FREQUENCY ? uplinkFrequencyHz : downlinkChannels.get(ch).frequencyHz();
  }

  /**
   * Uplink channel index of a frequency in fixed-channel bands (US915/AU915), where the frequency
   * determines the index; empty in dynamic bands or for frequencies off the grid.
   */
  public Optional<Integer> uplinkChannelIndex(long uplinkFrequencyHz) {
    if (channelPlan != ChannelPlan.FIXED_72) {
      return Optional.empty();
    }
    for (int i = 0; i < uplinkChannels.size(); i++) {
      if (uplinkChannels.get(i).frequencyHz() == uplinkFrequencyHz) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** TX power in dBm for TXPower index {@code index}: {@code maxEirpDbm − 2·index}. */
  public double txPowerDbm(int index, double maxEirpDbm) {
    if (index < 0 || index >= txPowerOffsetsDb.size()) {
      throw new FrequencyPlanException(
          "band " + id + ": TXPower index 0.." + (txPowerOffsetsDb.size() - 1) + " expected, found " + index);
    }
    return maxEirpDbm + txPowerOffsetsDb.get(index);
  }

  /** The sub-band containing a frequency, if any. */
  public Optional<SubBand> findSubBand(long frequencyHz) {
    return subBands.stream().filter(s -> s.contains(frequencyHz)).findFirst();
  }

  /**
   * Applies one LinkADRReq ChMask/ChMaskCntl pair to a set of enabled channels (RP002-1.0.4 §2.x.5
   * "LinkAdrReq command" of each band). A LinkADRReq block applies its commands in order.
   *
   * <p>Dynamic bands: ChMaskCntl 0 sets channels 0..15 from the mask; 6 enables all defined
   * channels ({@code definedChannels}); other values are RFU. Fixed-channel bands: 0..3 set channels
   * 16·cntl..16·cntl+15; 4 sets 64..71 from bits 0..7; 5 enables, for each bit k of bits 0..7, the
   * bank of channels 8k..8k+7 and the 500 kHz channel 64+k (all others off); 6 turns all 125 kHz
   * channels on and sets 64..71 from bits 0..7; 7 turns all 125 kHz channels off and sets 64..71
   * from bits 0..7.
   *
   * @param enabledChannels the channels enabled before this command
   * @param definedChannels channel indexes currently defined (dynamic bands; ignored for fixed bands)
   * @param chMaskCntl ChMaskCntl 0..7
   * @param chMask the 16-bit ChMask
   * @return the channels enabled afterwards
   */
  public SortedSet<Integer> applyLinkAdrChannelMask(
      SortedSet<Integer> enabledChannels, SortedSet<Integer> definedChannels, int chMaskCntl, int chMask) {
    if (chMask < 0 || chMask > 0xFFFF) {
      throw new FrequencyPlanException("band " + id + ": ChMask 0..0xFFFF expected, found " + chMask);
    }
    BitSet on = new BitSet(maxUplinkChannels);
    for (int ch : enabledChannels) {
      on.set(ch);
    }
    if (channelPlan == ChannelPlan.DYNAMIC_16) {
      switch (chMaskCntl) {
        case 0 -> {
          on.clear(0, 16);
          setBits(on, 0, chMask, 16);
        }
        case 6 -> {
          on.clear();
          for (int ch : definedChannels) {
            on.set(ch);
          }
        }
        default -> throw new FrequencyPlanException(
            "band " + id + ": ChMaskCntl 0 or 6 expected, found " + chMaskCntl + " (RFU)");
      }
    } else {
      switch (chMaskCntl) {
        case 0, 1, 2, 3 -> {
          on.clear(16 * chMaskCntl, 16 * chMaskCntl + 16);
          setBits(on, 16 * chMaskCntl, chMask, 16);
        }
        case 4 -> {
          on.clear(64, 72);
          setBits(on, 64, chMask, 8);
        }
        case 5 -> {
          on.clear();
          for (int k = 0; k < 8; k++) {
            if ((chMask & (1 << k)) != 0) {
              on.set(8 * k, 8 * k + 8);
              on.set(64 + k);
            }
          }
        }
        case 6, 7 -> {
          on.clear();
          if (chMaskCntl == 6) {
            on.set(0, 64);
          }
          setBits(on, 64, chMask, 8);
        }
        default -> throw new FrequencyPlanException(
            "band " + id + ": ChMaskCntl 0..7 expected, found " + chMaskCntl);
      }
    }
    SortedSet<Integer> result = new TreeSet<>();
    on.stream().forEach(result::add);
    return Collections.unmodifiableSortedSet(result);
  }

  private static void setBits(BitSet on, int first, int mask, int bits) {
    for (int i = 0; i < bits; i++) {
      if ((mask & (1 << i)) != 0) {
        on.set(first + i);
      }
    }
  }

  /**
   * The unmodifiable data-rate table of a band, which also knows the index of each modulation, so
   * that {@link #dataRateIndex(DataRate)} needs no search. A map like any other: equality, hash code
   * and string form are those of the entries, so the record's equality is unchanged.
   */
  private static final class DataRateTable implements SortedMap<Integer, DataRate> {
    private final SortedMap<Integer, DataRate> entries;
    /** Modulation to the lowest index defining it, as a ready-made result. */
    private final Map<DataRate, Optional<Integer>> indexes;

    DataRateTable(SortedMap<Integer, DataRate> dataRates) {
      this.entries = Collections.unmodifiableSortedMap(new TreeMap<>(dataRates));
      Map<DataRate, Optional<Integer>> byRate = new HashMap<>();
      for (Map.Entry<Integer, DataRate> e : entries.entrySet()) {
        byRate.putIfAbsent(e.getValue(), Optional.of(e.getKey()));
      }
      this.indexes = byRate;
    }

    Optional<Integer> indexOf(DataRate dataRate) {
      Optional<Integer> index = dataRate == null ? null : indexes.get(dataRate);
      return index == null ? Optional.empty() : index;
    }

    @Override
    public Comparator<? super Integer> comparator() {
      return entries.comparator();
    }

    @Override
    public SortedMap<Integer, DataRate> subMap(Integer fromKey, Integer toKey) {
      return entries.subMap(fromKey, toKey);
    }

    @Override
    public SortedMap<Integer, DataRate> headMap(Integer toKey) {
      return entries.headMap(toKey);
    }

    @Override
    public SortedMap<Integer, DataRate> tailMap(Integer fromKey) {
      return entries.tailMap(fromKey);
    }

    @Override
    public Integer firstKey() {
      return entries.firstKey();
    }

    @Override
    public Integer lastKey() {
      return entries.lastKey();
    }

    @Override
    public Set<Integer> keySet() {
      return entries.keySet();
    }

    @Override
    public Collection<DataRate> values() {
      return entries.values();
    }

    @Override
    public Set<Map.Entry<Integer, DataRate>> entrySet() {
      return entries.entrySet();
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public boolean isEmpty() {
      return entries.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
      return entries.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
      return entries.containsValue(value);
    }

    @Override
    public DataRate get(Object key) {
      return entries.get(key);
    }

    @Override
    public DataRate getOrDefault(Object key, DataRate defaultValue) {
      return entries.getOrDefault(key, defaultValue);
    }

    @Override
    public void forEach(BiConsumer<? super Integer, ? super DataRate> action) {
      entries.forEach(action);
    }

    // Every mutator is refused, as by the unmodifiable view (whether or not it would change anything).

    @Override
    public DataRate put(Integer key, DataRate value) {
      return entries.put(key, value);
    }

    @Override
    public DataRate remove(Object key) {
      return entries.remove(key);
    }

    @Override
    public void putAll(Map<? extends Integer, ? extends DataRate> m) {
      entries.putAll(m);
    }

    @Override
    public void clear() {
      entries.clear();
    }

    @Override
    public void replaceAll(BiFunction<? super Integer, ? super DataRate, ? extends DataRate> function) {
      entries.replaceAll(function);
    }

    @Override
    public DataRate putIfAbsent(Integer key, DataRate value) {
      return entries.putIfAbsent(key, value);
    }

    @Override
    public boolean remove(Object key, Object value) {
      return entries.remove(key, value);
    }

    @Override
    public boolean replace(Integer key, DataRate oldValue, DataRate newValue) {
      return entries.replace(key, oldValue, newValue);
    }

    @Override
    public DataRate replace(Integer key, DataRate value) {
      return entries.replace(key, value);
    }

    @Override
    public DataRate computeIfAbsent(Integer key, Function<? super Integer, ? extends DataRate> mappingFunction) {
      return entries.computeIfAbsent(key, mappingFunction);
    }

    @Override
    public DataRate computeIfPresent(
        Integer key, BiFunction<? super Integer, ? super DataRate, ? extends DataRate> remappingFunction) {
      return entries.computeIfPresent(key, remappingFunction);
    }

    @Override
    public DataRate compute(
        Integer key, BiFunction<? super Integer, ? super DataRate, ? extends DataRate> remappingFunction) {
      return entries.compute(key, remappingFunction);
    }

    @Override
    public DataRate merge(
        Integer key, DataRate value, BiFunction<? super DataRate, ? super DataRate, ? extends DataRate> remappingFunction) {
      return entries.merge(key, value, remappingFunction);
    }

    @Override
    public boolean equals(Object o) {
      return o == this || entries.equals(o);
    }

    @Override
    public int hashCode() {
      return entries.hashCode();
    }

    @Override
    public String toString() {
      return entries.toString();
    }
  }
}
