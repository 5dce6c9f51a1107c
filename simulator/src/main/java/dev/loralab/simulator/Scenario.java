package dev.loralab.simulator;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.simulator.device.Activation;
import dev.loralab.simulator.device.CayennePayload;
import dev.loralab.simulator.device.DeviceClass;
import dev.loralab.simulator.radio.Position;
import dev.loralab.simulator.radio.RadioParameters;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A simulation scenario: gateways, device groups, the radio model, the network server and a seed
 * that makes the run reproducible. Read one from YAML with {@link ScenarioParser}.
 *
 * @param name scenario name
 * @param seed seeds placement, shadowing, jitter, payloads and nonces
 * @param duration how long to simulate
 * @param networkServer {@code host:port} of the network server's Semtech UDP endpoint
 * @param origin latitude/longitude of the plane's origin (for gateway status)
 * @param radio radio-model parameters
 * @param gateways the gateways
 * @param deviceGroups the device groups
 */
public record Scenario(String name, long seed, Duration duration, String networkServer, Origin origin,
    RadioParameters radio, List<GatewaySpec> gateways, List<DeviceGroup> deviceGroups) {

  /** Validates and copies. */
  public Scenario {
    if (name == null || duration == null || networkServer == null || origin == null || radio == null
        || gateways == null || deviceGroups == null) {
      throw new IllegalArgumentException("scenario: all fields expected");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("scenario duration: positive expected, found " + duration);
    }
    gateways = List.copyOf(gateways);
    deviceGroups = List.copyOf(deviceGroups);
  }

  /** Total number of devices. */
  public int deviceCount() {
    return deviceGroups.stream().mapToInt(DeviceGroup::count).sum();
  }

  /** The same scenario with another seed, duration and server. */
  public Scenario with(long newSeed, Duration newDuration, String newServer) {
    return new Scenario(name, newSeed, newDuration, newServer, origin, radio, gateways, deviceGroups);
  }

  /**
   * Geographic origin of the local plane.
   *
   * @param latitude degrees
   * @param longitude degrees
   */
  public record Origin(double latitude, double longitude) {
    /** Validates. */
    public Origin {
      if (!(latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180)) {
        throw new IllegalArgumentException("origin: latitude -90..90 and longitude -180..180 expected");
      }
    }

    /** Latitude of a point of the plane (equirectangular approximation). */
    public double latitudeOf(Position p) {
      return Math.max(-90, Math.min(90, latitude + p.y() / 111_320.0));
    }

    /** Longitude of a point of the plane (equirectangular approximation). */
    public double longitudeOf(Position p) {
      double cos = Math.max(0.01, Math.cos(Math.toRadians(latitude)));
      double lon = longitude + p.x() / (111_320.0 * cos);
      return ((lon + 540) % 360) - 180;
    }
  }

  /**
   * A gateway.
   *
   * @param id gateway ID for registration
   * @param eui gateway EUI
   * @param position position in metres
   * @param frequencyPlan frequency-plan ID
   * @param protocolVersion Semtech UDP version 2 (default) or 1
   */
  public record GatewaySpec(String id, Eui64 eui, Position position, String frequencyPlan, int protocolVersion) {
    /** Validates. */
    public GatewaySpec {
      if (id == null || eui == null || position == null || frequencyPlan == null) {
        throw new IllegalArgumentException("gateway: id, eui, position and frequency plan expected");
      }
      if (protocolVersion != 1 && protocolVersion != 2) {
        throw new IllegalArgumentException("gateway protocol version: 1 or 2 expected");
      }
    }
  }

  /**
   * A group of similar devices.
   *
   * @param name group name, prefix of device IDs
   * @param count number of devices
   * @param activation OTAA or ABP
   * @param macVersion LoRaWAN version
   * @param deviceClass A or C
   * @param frequencyPlan frequency-plan ID
   * @param firstDevEui DevEUI of the first device; the others count up
   * @param joinEui JoinEUI
   * @param appKey shared AppKey, or empty for a key per device derived from the seed
   * @param firstDevAddr ABP: DevAddr of the first device; the others count up
   * @param placement where the devices are
   * @param uplink uplink timing
   * @param payload payload generator
   * @param dataRate initial data rate
   * @param adr ADR on or off
   * @param battery DevStatusAns battery value
   * @param linkCheckEvery LinkCheckReq every n uplinks (0 = never)
   * @param deviceTime DeviceTimeReq after join
   */
  public record DeviceGroup(String name, int count, Activation activation, MacVersion macVersion,
      DeviceClass deviceClass, String frequencyPlan, Eui64 firstDevEui, Eui64 joinEui, Optional<AesKey> appKey,
      DevAddr firstDevAddr, Placement placement, UplinkSpec uplink, PayloadSpec payload, int dataRate, boolean adr,
      int battery, int linkCheckEvery, boolean deviceTime) {
    /** Validates. */
    public DeviceGroup {
      if (name == null || activation == null || macVersion == null || deviceClass == null || frequencyPlan == null
          || firstDevEui == null || joinEui == null || appKey == null || firstDevAddr == null || placement == null
          || uplink == null || payload == null) {
        throw new IllegalArgumentException("device group: all fields expected");
      }
      if (count < 0 || count > 1_000_000) {
        throw new IllegalArgumentException("device group count: 0..1000000 expected, found " + count);
      }
    }
  }

  /**
   * Uplink timing.
   *
   * @param interval mean interval
   * @param jitter ± jitter (periodic mode)
   * @param poisson exponential intervals instead of periodic
   * @param confirmed confirmed uplinks
   * @param fPort FPort
   */
  public record UplinkSpec(Duration interval, Duration jitter, boolean poisson, boolean confirmed, int fPort) {
    /** Validates. */
    public UplinkSpec {
      if (interval == null || jitter == null || interval.isZero() || interval.isNegative() || jitter.isNegative()) {
        throw new IllegalArgumentException("uplink: positive interval and non-negative jitter expected");
      }
      if (fPort < 1 || fPort > 223) {
        throw new IllegalArgumentException("uplink fport: 1..223 expected, found " + fPort);
      }
    }
  }

  /** Where the devices of a group are. */
  public sealed interface Placement {
    /** Explicit points, used in turn. @param points the points */
    record Points(List<Position> points) implements Placement {
      /** Validates. */
      public Points {
        if (points == null || points.isEmpty()) {
          throw new IllegalArgumentException("placement points: at least one point expected");
        }
        points = List.copyOf(points);
      }
    }

    /** Uniformly at random in a disc. @param center centre @param radiusM radius in metres */
    record Disc(Position center, double radiusM) implements Placement {
      /** Validates. */
      public Disc {
        if (center == null || !(radiusM >= 0)) {
          throw new IllegalArgumentException("placement disc: centre and radius >= 0 expected");
        }
      }
    }

    /**
     * On a grid, row by row. @param origin first point @param spacingM distance between points
     * @param columns points per row
     */
    record Grid(Position origin, double spacingM, int columns) implements Placement {
      /** Validates. */
      public Grid {
        if (origin == null || !(spacingM > 0) || columns < 1) {
          throw new IllegalArgumentException("placement grid: origin, spacing > 0 and columns >= 1 expected");
        }
      }
    }
  }

  /** How payloads are generated. */
  public sealed interface PayloadSpec {
    /** The same bytes every time. @param bytes the payload */
    record Fixed(Bytes bytes) implements PayloadSpec {}

    /** Random bytes. @param minSize shortest @param maxSize longest */
    record Random(int minSize, int maxSize) implements PayloadSpec {}

    /** Cayenne LPP sensor readings. @param sensors the sensors */
    record Cayenne(List<CayennePayload.Sensor> sensors) implements PayloadSpec {
      /** Copies. */
      public Cayenne {
        sensors = List.copyOf(sensors);
      }
    }

    /** A payload script (see {@link dev.loralab.simulator.device.ScriptPayload}). @param script the text */
    record Script(String script) implements PayloadSpec {}
  }
}
