package dev.loralab.tests.support;

import java.time.Duration;

/** Generous waits: the suite runs on slow, loaded 2-core machines. Nothing asserts elapsed time. */
public final class Timeouts {

  /** For anything that should happen promptly (an ack, an event, an HTTP answer). */
  public static final Duration NETWORK = Duration.ofSeconds(30);

  /**
   * For a class A downlink: the gateway server sends the PULL_RESP shortly before the RX window,
   * up to the RX2 delay of a join-accept (6 s) after the uplink.
   */
  public static final Duration DOWNLINK = Duration.ofSeconds(40);

  /**
   * How long to wait before concluding that something does not happen, once the events that
   * would precede it have been seen.
   */
  public static final Duration QUIET = Duration.ofSeconds(8);

  private Timeouts() {}
}
