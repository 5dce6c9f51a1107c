package dev.loralab.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Maps method and path to a {@link Handler}.
 *
 * <p>Patterns are {@code /}-separated; a segment {@code {name}} captures one URL-decoded path
 * segment, and a final segment {@code {name...}} captures the (possibly empty) rest of the path.
 * Captured values are validated: no {@code /} (except between rest segments), no {@code .} or
 * {@code ..} segment, no control characters; a bad value is a 400. Literal segments beat
 * parameters. Unknown paths are a 404 and a known path with another method is a 405 with
 * {@code Allow}. {@code HEAD} is served by the {@code GET} route when no {@code HEAD} route exists.
 *
 * <p>Routes are registered at start-up; matching is thread-safe.
 */
public final class Router {

  private final List<Route> routes = new CopyOnWriteArrayList<>();

  /** Registers a GET route. */
  public Router get(String pattern, Handler handler) {
    return route("GET", pattern, handler);
  }

  /** Registers a POST route. */
  public Router post(String pattern, Handler handler) {
    return route("POST", pattern, handler);
  }

  /** Registers a PUT route. */
  public Router put(String pattern, Handler handler) {
    return route("PUT", pattern, handler);
  }

  /** Registers a DELETE route. */
  public Router delete(String pattern, Handler handler) {
    return route("DELETE", pattern, handler);
  }

  /**
   * Registers a route for any method.
   *
   * @throws IllegalArgumentException for a malformed pattern
   * @throws IllegalStateException    when the same method and pattern shape is already registered
   */
  public Router route(String method, String pattern, Handler handler) {
    Objects.requireNonNull(handler, "handler");
    String m = method.toUpperCase(Locale.ROOT);
    Route route = new Route(m, pattern, RoutePattern.parse(pattern), handler);
    for (Route r : routes) {
      if (r.method.equals(m) && r.compiled.shape().equals(route.compiled.shape())) {
        throw new IllegalStateException("route already registered: " + m + " " + pattern
            + " (conflicts with " + r.pattern + ")");
      }
    }
    routes.add(route);
    return this;
  }

  /** The registered patterns, as {@code METHOD pattern}. */
  public List<String> routes() {
    List<String> out = new ArrayList<>();
    for (Route r : routes) {
      out.add(r.method + " " + r.pattern);
    }
    return out;
  }

  /** The outcome of matching a request. */
  public sealed interface Match {
  }

  /** A route matched; {@code params} are decoded and validated. */
  public record Found(String pattern, Handler handler, java.util.Map<String, String> params) implements Match {
  }

  /** No route has this path. */
  public record NotFound() implements Match {
  }

  /** Routes exist for this path but not for this method. */
  public record MethodNotAllowed(Set<String> allowed) implements Match {
  }

  /** The path matched a pattern but a parameter value is invalid. */
  public record BadPath(String reason) implements Match {
  }

  /** Matches a raw (percent-encoded) path, without query string. */
  public Match match(String method, String rawPath) {
    String m = method.toUpperCase(Locale.ROOT);
    List<String> segments = RoutePattern.split(rawPath);
    Route best = null;
    RoutePattern.Result bestResult = null;
    Route bestGet = null;
    RoutePattern.Result bestGetResult = null;
    Set<String> allowed = new TreeSet<>();
    String badPath = null;
    for (Route r : routes) {
      RoutePattern.Result res = r.compiled.match(segments);
      if (res == null) {
        continue;
      }
      if (res.error() != null) {
        badPath = res.error();
        allowed.add(r.method);
        continue;
      }
      allowed.add(r.method);
      if (r.method.equals(m) && (best == null || r.compiled.specificity() > best.compiled.specificity())) {
        best = r;
        bestResult = res;
      }
      if (r.method.equals("GET")
          && (bestGet == null || r.compiled.specificity() > bestGet.compiled.specificity())) {
        bestGet = r;
        bestGetResult = res;
      }
    }
    if (best != null) {
      return new Found(best.pattern, best.handler, bestResult.params());
    }
    if (m.equals("HEAD") && bestGet != null) {
      return new Found(bestGet.pattern, bestGet.handler, bestGetResult.params());
    }
    if (badPath != null) {
      return new BadPath(badPath);
    }
    if (allowed.isEmpty()) {
      return new NotFound();
    }
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    return new MethodNotAllowed(allowed);
  }

  private record Route(String method, String pattern, RoutePattern compiled, Handler handler) {
  }
}
