package dev.loralab.frequencyplans;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The supported bands (RP002-1.0.4), by The Things Stack band ID. */
public final class Bands {
  private static final Map<String, Band> BANDS;

  static {
    Map<String, Band> m = new LinkedHashMap<>();
    for (Band b : new Band[] {
      DynamicChannelBands.eu868(),
      FixedChannelBands.us915(),
      FixedChannelBands.au915(),
      As923Bands.group1(),
      As923Bands.group2(),
      As923Bands.group3(),
      As923Bands.group4(),
      DynamicChannelBands.in865(),
      DynamicChannelBands.kr920(),
    }) {
      m.put(b.id(), b);
    }
    BANDS = Collections.unmodifiableMap(m);
  }

  private Bands() {}

  /**
   * The band with this ID.
   *
   * @throws FrequencyPlanException naming the known IDs if the ID is unknown
   */
  public static Band byId(String id) {
    Band b = id == null ? null : BANDS.get(id);
    if (b == null) {
      throw new FrequencyPlanException("unknown band '" + id + "'; known: " + String.join(", ", BANDS.keySet()));
    }
    return b;
  }

  /** Whether a band ID is known. */
  public static boolean exists(String id) {
    return id != null && BANDS.containsKey(id);
  }

  /** All bands, in a stable order. */
  public static Collection<Band> all() {
    return BANDS.values();
  }
}
