package dev.loralab.applicationserver.internal;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Conversions between {@link Instant} and protobuf {@link Timestamp}, at nanosecond precision. */
public final class ProtoTime {
  private ProtoTime() {}

  /** The timestamp of an instant. */
  public static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  /** The instant of a timestamp. */
  public static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
