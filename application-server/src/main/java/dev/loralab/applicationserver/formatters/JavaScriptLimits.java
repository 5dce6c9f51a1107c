package dev.loralab.applicationserver.formatters;

import java.time.Duration;
import java.util.Objects;

/**
 * Sandbox limits of one JavaScript formatter invocation.
 *
 * @param timeLimit limit of one invocation's CPU time (of the invoking thread; wall-clock time
 *     where the JVM cannot measure it), so that a loaded machine does not cut short a script that
 *     does little work; the context is cancelled when it passes, or when an invocation has taken
 *     20 times as long in wall-clock time
 * @param statementLimit maximum number of statements one invocation may execute
 * @param allocationLimitBytes maximum bytes the invoking thread may allocate during one invocation
 *     (an upper bound on the memory a script can use; checked by the watchdog)
 * @param maxScriptChars longest accepted script
 * @param maxResultChars longest accepted result (JSON) of one invocation
 * @param watchdogPeriod how often the watchdog checks time and allocation
 */
public record JavaScriptLimits(Duration timeLimit, long statementLimit, long allocationLimitBytes,
    int maxScriptChars, int maxResultChars, Duration watchdogPeriod) {

  /** Validates that every limit is positive. */
  public JavaScriptLimits {
    Objects.requireNonNull(timeLimit, "timeLimit");
    Objects.requireNonNull(watchdogPeriod, "watchdogPeriod");
    if (timeLimit.isNegative() || timeLimit.isZero()) {
      throw new IllegalArgumentException("timeLimit: expected > 0, found " + timeLimit);
    }
    if (watchdogPeriod.isNegative() || watchdogPeriod.isZero()) {
      throw new IllegalArgumentException("watchdogPeriod: expected > 0, found " + watchdogPeriod);
    }
    if (statementLimit < 1) {
      throw new IllegalArgumentException("statementLimit: expected >= 1, found " + statementLimit);
    }
    if (allocationLimitBytes < 1) {
      throw new IllegalArgumentException("allocationLimitBytes: expected >= 1, found "
          + allocationLimitBytes);
    }
    if (maxScriptChars < 1) {
      throw new IllegalArgumentException("maxScriptChars: expected >= 1, found " + maxScriptChars);
    }
    if (maxResultChars < 1) {
      throw new IllegalArgumentException("maxResultChars: expected >= 1, found " + maxResultChars);
    }
  }

  /**
   * The defaults: 100 ms, 10 million statements, 256 MiB allocated, 64 KiB scripts, 64 KiB
   * results, a watchdog every 10 ms.
   */
  public static JavaScriptLimits defaults() {
    return new JavaScriptLimits(Duration.ofMillis(100), 10_000_000L, 256L << 20, 65_536, 65_536,
        Duration.ofMillis(10));
  }

  /** These limits with another time limit. */
  public JavaScriptLimits withTimeLimit(Duration d) {
    return new JavaScriptLimits(d, statementLimit, allocationLimitBytes, maxScriptChars,
        maxResultChars, watchdogPeriod);
  }
}
