package dev.loralab.gatewayserver;

import dev.loralab.api.ApiException;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayConnectionStats;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.web.Handler;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Gateway Server's HTTP API (paths as in The Things Stack), authenticated with
 * {@code Authorization: Bearer <API key>}:
 *
 * <ul>
 *   <li>{@code GET /api/v3/gs/gateways/{gateway_id}/connection/stats}: the gateway's
 *       {@code GatewayConnectionStats} ({@code connected_at}, {@code protocol}, latest status,
 *       uplink and downlink times and counts, {@code round_trip_times}); 404 when the gateway is
 *       not connected — right {@code RIGHT_GATEWAY_STATUS_READ} on the gateway.</li>
 * </ul>
 */
public final class GatewayServerHttpRoutes {

  /** The stats route pattern. */
  public static final String CONNECTION_STATS =
      "/api/v3/gs/gateways/{gateway_id}/connection/stats";
  private static final Pattern GATEWAY_ID = Pattern.compile("[a-z0-9](?:-?[a-z0-9]){1,35}");

  private final Function<String, java.util.Optional<GatewayConnectionStats>> stats;
  private final AccessControl accessControl;

  /**
   * @param gs the gateway server whose connections are reported
   * @param accessControl authenticates API keys and looks up rights
   */
  public GatewayServerHttpRoutes(GatewayServer gs, AccessControl accessControl) {
    this(Objects.requireNonNull(gs, "gs")::connectionStats, accessControl);
  }

  GatewayServerHttpRoutes(Function<String, java.util.Optional<GatewayConnectionStats>> stats,
      AccessControl accessControl) {
    this.stats = Objects.requireNonNull(stats, "stats");
    this.accessControl = Objects.requireNonNull(accessControl, "accessControl");
  }

  /** Registers the routes on {@code router}. */
  public Router register(Router router) {
    router.get(CONNECTION_STATS, Handler.sync(r -> {
      try {
        return connectionStats(r);
      } catch (RuntimeException e) {
        throw ApiException.from(e);
      }
    }));
    return router;
  }

  private Response connectionStats(Request r) {
    Caller caller = r.authenticate(accessControl);
    String id = r.pathParam("gateway_id");
    if (id == null || !GATEWAY_ID.matcher(id).matches()) {
      String shown = id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "..." : id;
      throw ApiException.invalidArgument("gateway_id", "expected 2..36 lower-case letters,"
          + " digits and single dashes, found '" + shown + "'");
    }
    EntityIdentifiers entity = EntityIdentifiers.newBuilder()
        .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId(id)).build();
    accessControl.requireAny(caller, entity, List.of(Right.RIGHT_GATEWAY_STATUS_READ));
    GatewayConnectionStats s = stats.apply(id).orElseThrow(() ->
        new ApiException(io.grpc.Status.Code.NOT_FOUND, "gateway not connected", null, null)
            .withAttribute("gateway_id", id).withName("not_connected"));
    return Response.json(200, ProtoJson.print(s));
  }
}
