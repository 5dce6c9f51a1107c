package dev.loralab.gatewayserver.udp;

/** Range checks for the compact constructors; all failures are {@link DropReason#INVALID_FIELD}. */
final class Check {

  private Check() {}

  static SemtechUdpException invalid(String field, String expected, Object found) {
    return new SemtechUdpException(DropReason.INVALID_FIELD, field, expected, String.valueOf(found));
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw invalid(field, "a value", "nothing");
    }
    return value;
  }

  static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw invalid(field, min + ".." + max, value);
    }
    return value;
  }

  static void range(String field, Long value, long min, long max) {
    if (value != null) {
      range(field, value.longValue(), min, max);
    }
  }

  static void range(String field, Integer value, long min, long max) {
    if (value != null) {
      range(field, value.longValue(), min, max);
    }
  }

  static void range(String field, Double value, double min, double max) {
    if (value != null && !(value >= min && value <= max)) {
      throw invalid(field, min + ".." + max, value);
    }
  }
}
