package dev.loralab.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * How to run a scenario.
 *
 * @param virtualTime true: discrete-event time that advances instantly (needs an in-memory
 *     {@code links} factory, as no real server can keep up); false: real time
 * @param links opens gateway links; empty = UDP to the scenario's (or {@link #server}) address
 * @param seed overrides the scenario seed
 * @param duration overrides the scenario duration
 * @param server overrides the scenario's network server {@code host:port}
 * @param rate load mode: uplinks per second spread across the devices
 * @param drain how long gateways keep running after devices stop, so that late downlinks and
 *     acknowledgements are counted
 * @param progressInterval how often {@code progress} is called (simulation time)
 * @param progress receives progress snapshots (on the simulation thread; must not block)
 * @param clock labels simulation time 0 with wall-clock time
 * @param perUplinkLimit at most this many per-uplink records are kept in the report
 */
public record SimulationOptions(boolean virtualTime, Optional<GatewayLinkFactory> links, OptionalLong seed,
    Optional<Duration> duration, Optional<String> server, OptionalDouble rate, Duration drain,
    Duration progressInterval, Consumer<SimulationProgress> progress, Clock clock, int perUplinkLimit) {

  /** Validates. */
  public SimulationOptions {
    if (links == null || seed == null || duration == null || server == null || rate == null || drain == null
        || progressInterval == null || progress == null || clock == null) {
      throw new IllegalArgumentException("simulation options: all fields expected");
    }
    if (rate.isPresent() && !(rate.getAsDouble() > 0 && rate.getAsDouble() <= 1_000_000)) {
      throw new IllegalArgumentException("rate: 0 < rate <= 1000000 uplinks/s expected, found " + rate.getAsDouble());
    }
    if (progressInterval.isZero() || progressInterval.isNegative() || drain.isNegative()) {
      throw new IllegalArgumentException("progress interval positive and drain not negative expected");
    }
    if (perUplinkLimit < 0) {
      throw new IllegalArgumentException("per-uplink limit: not negative expected");
    }
  }

  /** Real time over UDP, scenario values, progress every second to nowhere. */
  public static SimulationOptions defaults() {
    return new SimulationOptions(false, Optional.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(),
        OptionalDouble.empty(), Duration.ofSeconds(3), Duration.ofSeconds(1), p -> {}, Clock.systemUTC(), 1_000_000);
  }

  /** Virtual time with in-memory links (tests). */
  public static SimulationOptions virtual(GatewayLinkFactory links) {
    return defaults().withVirtualTime(true).withLinks(links).withProgressInterval(Duration.ofMinutes(1));
  }

  /** Copy with virtual or real time. */
  public SimulationOptions withVirtualTime(boolean v) {
    return new SimulationOptions(v, links, seed, duration, server, rate, drain, progressInterval, progress, clock,
        perUplinkLimit);
  }

  /** Copy with a link factory. */
  public SimulationOptions withLinks(GatewayLinkFactory f) {
    return new SimulationOptions(virtualTime, Optional.of(f), seed, duration, server, rate, drain, progressInterval,
        progress, clock, perUplinkLimit);
  }

  /** Copy with a seed. */
  public SimulationOptions withSeed(long s) {
    return new SimulationOptions(virtualTime, links, OptionalLong.of(s), duration, server, rate, drain,
        progressInterval, progress, clock, perUplinkLimit);
  }

  /** Copy with a duration. */
  public SimulationOptions withDuration(Duration d) {
    return new SimulationOptions(virtualTime, links, seed, Optional.of(d), server, rate, drain, progressInterval,
        progress, clock, perUplinkLimit);
  }

  /** Copy with a server address. */
  public SimulationOptions withServer(String hostPort) {
    return new SimulationOptions(virtualTime, links, seed, duration, Optional.of(hostPort), rate, drain,
        progressInterval, progress, clock, perUplinkLimit);
  }

  /** Copy in load mode. */
  public SimulationOptions withRate(double uplinksPerSecond) {
    return new SimulationOptions(virtualTime, links, seed, duration, server, OptionalDouble.of(uplinksPerSecond),
        drain, progressInterval, progress, clock, perUplinkLimit);
  }

  /** Copy with a drain time. */
  public SimulationOptions withDrain(Duration d) {
    return new SimulationOptions(virtualTime, links, seed, duration, server, rate, d, progressInterval, progress,
        clock, perUplinkLimit);
  }

  /** Copy with a progress listener. */
  public SimulationOptions withProgress(Duration interval, Consumer<SimulationProgress> p) {
    return new SimulationOptions(virtualTime, links, seed, duration, server, rate, drain, interval, p, clock,
        perUplinkLimit);
  }

  /** Copy with another progress interval. */
  public SimulationOptions withProgressInterval(Duration interval) {
    return withProgress(interval, progress);
  }

  /** Copy with a clock. */
  public SimulationOptions withClock(Clock c) {
    return new SimulationOptions(virtualTime, links, seed, duration, server, rate, drain, progressInterval, progress,
        c, perUplinkLimit);
  }
}
