package dev.loralab.tests.reliability.support;

import dev.loralab.applicationserver.ApplicationServerHttpRoutes;
import dev.loralab.cli.stack.Stack;
import dev.loralab.gatewayserver.ConfigurationHttpRoutes;
import dev.loralab.gatewayserver.GatewayServerHttpRoutes;
import dev.loralab.identityserver.IdentityHttpRoutes;
import dev.loralab.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code /api/v3} route of a stack, as {@code METHOD pattern}, taken from the route classes
 * ({@code IdentityHttpRoutes}, {@code ApplicationServerHttpRoutes}, {@code GatewayServerHttpRoutes},
 * {@code ConfigurationHttpRoutes}, {@code EventsHttpRoutes}),
 * and the filling of their path parameters.
 */
public final class ApiRoutes {

  /** A path parameter, e.g. {@code {application_id}}. */
  public static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)(\\.\\.\\.)?}");

  private ApiRoutes() {}

  /** The routes of {@code stack}'s API. */
  public static List<String> of(Stack stack) {
    List<String> routes = new ArrayList<>(IdentityHttpRoutes.routes());
    routes.addAll(new ApplicationServerHttpRoutes(stack.applicationServer(),
        stack.identityServer().accessControl()).register(new Router()).routes());
    routes.addAll(new GatewayServerHttpRoutes(stack.gatewayServer(),
        stack.identityServer().accessControl()).register(new Router()).routes());
    routes.addAll(new ConfigurationHttpRoutes(stack.frequencyPlans(),
        stack.identityServer().accessControl()).register(new Router()).routes());
    // EventsHttpRoutes needs a live EventStreams to be instantiated; its three routes:
    routes.addAll(List.of("POST /api/v3/events", "GET /api/v3/events/related?correlation_id=x",
        "GET /api/v3/events/definitions"));
    return routes;
  }

  /** The method of a route. */
  public static String method(String route) {
    return route.substring(0, route.indexOf(' '));
  }

  /** The path pattern of a route. */
  public static String pattern(String route) {
    return route.substring(route.indexOf(' ') + 1);
  }

  /**
   * {@code pattern} with every parameter replaced by its value in {@code ids} ({@code x} if
   * absent), except {@code override}'s parameter, which gets {@code override}'s value.
   */
  public static String fill(String pattern, Map<String, String> ids, Map.Entry<String, String> override) {
    Matcher m = PARAM.matcher(pattern);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String v = override != null && override.getKey().equals(name) ? override.getValue()
          : ids.getOrDefault(name, "x");
      m.appendReplacement(b, Matcher.quoteReplacement(v));
    }
    m.appendTail(b);
    return b.toString();
  }
}
