package dev.loralab.lorawan;

import java.time.Instant;

/**
 * Conversion between UTC and GPS time, as used by DeviceTimeAns (LoRaWAN 1.0.3 §5.9; 1.1
 * §5.12) and Class B beacons: seconds since the GPS epoch 1980-01-06T00:00:00Z, without leap
 * seconds.
 *
 * <p>The leap-second table ends with the one inserted at 2016-12-31T23:59:60Z (GPS − UTC = 18 s);
 * IERS has announced none since.
 */
public final class GpsTime {

  /** The GPS epoch, 1980-01-06T00:00:00Z, as Unix seconds. */
  public static final long GPS_EPOCH_UNIX_SECONDS = 315_964_800L;

  /** Unix seconds at which each leap second took effect (GPS − UTC grows by one at each). */
  private static final long[] LEAP_SECONDS_UNIX = {
    362_793_600L, // 1981-07-01
    394_329_600L, // 1982-07-01
    425_865_600L, // 1983-07-01
    489_024_000L, // 1985-07-01
    567_993_600L, // 1988-01-01
    631_152_000L, // 1990-01-01
    662_688_000L, // 1991-01-01
    709_948_800L, // 1992-07-01
    741_484_800L, // 1993-07-01
    773_020_800L, // 1994-07-01
    820_454_400L, // 1996-01-01
    867_715_200L, // 1997-07-01
    915_148_800L, // 1999-01-01
    1_136_073_600L, // 2006-01-01
    1_230_768_000L, // 2009-01-01
    1_341_100_800L, // 2012-07-01
    1_435_708_800L, // 2015-07-01
    1_483_228_800L, // 2017-01-01
  };

  private GpsTime() {}

  /**
   * GPS seconds of a UTC instant (fractions truncated).
   *
   * @throws LoRaWanException if the instant is before the GPS epoch
   */
  public static long fromUtc(Instant utc) {
    if (utc == null) {
      throw new LoRaWanException("UTC time", "an instant", "null");
    }
    long unix = utc.getEpochSecond();
    if (unix < GPS_EPOCH_UNIX_SECONDS) {
      throw new LoRaWanException("UTC time", "at or after 1980-01-06T00:00:00Z", utc.toString());
    }
    return unix - GPS_EPOCH_UNIX_SECONDS + leapSecondsAtUnix(unix);
  }

  /**
   * The UTC instant of a GPS time in seconds. A GPS second that falls on an inserted leap
   * second maps to the UTC second after it.
   *
   * @throws LoRaWanException if {@code gpsSeconds} is negative
   */
  public static Instant toUtc(long gpsSeconds) {
    if (gpsSeconds < 0) {
      throw new LoRaWanException("GPS time", "a non-negative number of seconds",
          Long.toString(gpsSeconds));
    }
    long unix = gpsSeconds + GPS_EPOCH_UNIX_SECONDS;
    int leaps = 0;
    for (long leap : LEAP_SECONDS_UNIX) {
      // with k leaps counted so far, the next one applies if the UTC second (unix - k - 1) reached it
      if (unix - leaps - 1 >= leap) {
        leaps++;
      } else {
        break;
      }
    }
    return Instant.ofEpochSecond(unix - leaps);
  }

  private static int leapSecondsAtUnix(long unix) {
    int n = 0;
    for (long leap : LEAP_SECONDS_UNIX) {
      if (unix >= leap) {
        n++;
      }
    }
    return n;
  }
}
