package dev.loralab.events;

import com.google.protobuf.Message;
import dev.loralab.api.v3.EntityIdentifiers;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Objects;

/**
 * Stamps new events with time, unique ID (ULID) and origin. Servers take one as a parameter for
 * deterministic tests; {@link #system()} uses the system clock and the host name.
 */
public final class EventFactory {

  private static final EventFactory SYSTEM = new EventFactory(Clock.systemUTC(), Ulid.system(), hostName());

  private final Clock clock;
  private final Ulid ulid;
  private final String origin;

  /**
   * @param clock  event time
   * @param ulid   unique IDs
   * @param origin host name recorded in events
   */
  public EventFactory(Clock clock, Ulid ulid, String origin) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ulid = Objects.requireNonNull(ulid, "ulid");
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  /** The default factory: system clock, {@link Ulid#system()}, the local host name. */
  public static EventFactory system() {
    return SYSTEM;
  }

  /** A new event of {@code def}. */
  public Event create(EventDefinition def, CorrelationIds correlationIds, Message data,
      EntityIdentifiers... identifiers) {
    return builder(def).correlationIds(correlationIds).data(data).identifiers(identifiers).build();
  }

  /** A builder pre-filled with time, unique ID and origin. */
  public Event.Builder builder(EventDefinition def) {
    Event.Builder b = Event.builder(def).time(clock.instant()).origin(origin);
    ulid.next(b); // the ULID's bits: its string is built only if asked for
    return b;
  }

  /** The clock. */
  public Clock clock() {
    return clock;
  }

  /** The ULID generator. */
  public Ulid ulid() {
    return ulid;
  }

  /** The origin host name. */
  public String origin() {
    return origin;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "localhost" : env;
    }
  }
}
