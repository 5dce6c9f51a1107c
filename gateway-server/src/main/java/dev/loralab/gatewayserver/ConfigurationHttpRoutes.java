package dev.loralab.gatewayserver;

import dev.loralab.api.ApiException;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.v3.ListFrequencyPlansResponse;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.web.Handler;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Configuration} service over HTTP (path as in The Things Stack):
 * {@code GET /api/v3/configuration/frequency-plans[?base_frequency=868][&band_id=EU_863_870]}
 * answers {@code {"frequency_plans":[{"id","base_id","name","base_frequency","band_id"}]}} from a
 * {@link FrequencyPlanStore}, in the store's order. Needs any valid API key.
 */
public final class ConfigurationHttpRoutes {

  /** The route pattern. */
  public static final String FREQUENCY_PLANS = "/api/v3/configuration/frequency-plans";
  private static final int MAX_BAND_ID_LENGTH = 64;

  private final FrequencyPlanStore plans;
  private final AccessControl accessControl;

  /**
   * @param plans the plans served
   * @param accessControl authenticates API keys
   */
  public ConfigurationHttpRoutes(FrequencyPlanStore plans, AccessControl accessControl) {
    this.plans = Objects.requireNonNull(plans, "plans");
    this.accessControl = Objects.requireNonNull(accessControl, "accessControl");
  }

  /** Registers the route on {@code router}. */
  public Router register(Router router) {
    router.get(FREQUENCY_PLANS, Handler.sync(r -> {
      try {
        return list(r);
      } catch (RuntimeException e) {
        throw ApiException.from(e);
      }
    }));
    return router;
  }

  private Response list(Request r) {
    r.authenticate(accessControl);
    int baseFrequency = baseFrequency(r.query("base_frequency"));
    String bandId = r.query("band_id").orElse("");
    if (bandId.length() > MAX_BAND_ID_LENGTH) {
      throw ApiException.invalidArgument("band_id", "expected at most " + MAX_BAND_ID_LENGTH
          + " characters, found " + bandId.length());
    }
    ListFrequencyPlansResponse.Builder out = ListFrequencyPlansResponse.newBuilder();
    for (var d : plans.descriptions()) {
      if ((baseFrequency == 0 || d.baseFrequencyMhz() == baseFrequency)
          && (bandId.isEmpty() || d.bandId().equals(bandId))) {
        out.addFrequencyPlans(dev.loralab.api.v3.FrequencyPlanDescription.newBuilder()
            .setId(d.id()).setBaseId(d.baseId().orElse("")).setName(d.name())
            .setBaseFrequency(d.baseFrequencyMhz()).setBandId(d.bandId()));
      }
    }
    return Response.json(200, ProtoJson.print(out));
  }

  /** The {@code base_frequency} filter in MHz: 0 (all) when absent. */
  private static int baseFrequency(Optional<String> value) {
    if (value.isEmpty() || value.get().isEmpty()) {
      return 0;
    }
    String v = value.get();
    if (v.length() > 5 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      String shown = v.length() > 20 ? v.substring(0, 20) + "..." : v;
      throw ApiException.invalidArgument("base_frequency",
          "expected a frequency in MHz (0..99999), found '" + shown + "'");
    }
    return Integer.parseInt(v);
  }
}
