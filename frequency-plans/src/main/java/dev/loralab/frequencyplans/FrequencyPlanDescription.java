package dev.loralab.frequencyplans;

import java.util.List;
import java.util.Optional;

/**
 * One entry of the frequency-plan index ({@code frequency-plans.yml}).
 *
 * @param id plan ID
 * @param bandId band ID
 * @param baseId the plan this one overlays, if any
 * @param name human-readable name
 * @param description description
 * @param baseFrequencyMhz base frequency in MHz
 * @param file plan file name
 * @param gateways whether gateways may use the plan
 * @param countryCodes ISO country codes where the plan applies
 * @param userDefined whether the entry comes from the user directory
 */
public record FrequencyPlanDescription(
    String id,
    String bandId,
    Optional<String> baseId,
    String name,
    String description,
    int baseFrequencyMhz,
    String file,
    boolean gateways,
    List<String> countryCodes,
    boolean userDefined) {

  /** Validates the fields. */
  public FrequencyPlanDescription {
    if (id == null || id.isEmpty() || bandId == null || bandId.isEmpty() || file == null || file.isEmpty()) {
      throw new FrequencyPlanException("frequency-plan index entry: id, band-id and file expected");
    }
    baseId = baseId == null ? Optional.empty() : baseId;
    name = name == null ? "" : name;
    description = description == null ? "" : description;
    countryCodes = countryCodes == null ? List.of() : List.copyOf(countryCodes);
  }
}
