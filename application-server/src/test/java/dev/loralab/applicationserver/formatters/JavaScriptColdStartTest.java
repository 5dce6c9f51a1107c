package dev.loralab.applicationserver.formatters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** The engine's start-up is not charged to the first invocation's time limit. */
class JavaScriptColdStartTest {

  @Test
  void firstInvocationWithoutWarmUpIsNotCutShortByEngineStartUp() {
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    // A limit far above one invocation of a trivial script, far below a cold engine start on a
    // loaded machine (the e2e tests saw "formatter exceeded 100 ms" for this very script).
    try (JavaScriptFormatters js = new JavaScriptFormatters(
        JavaScriptLimits.defaults().withTimeLimit(Duration.ofSeconds(1)), watchdog)) {
      DecodedPayload d = js.decodeUplink("function decodeUplink(input){return {data:{b:input.bytes[0]}}}",
          new byte[] {42}, 1, Instant.EPOCH);
      assertThat(d.data().getFieldsOrThrow("b").getNumberValue()).isEqualTo(42);
    } finally {
      watchdog.shutdownNow();
    }
  }
}
