package dev.loralab.applicationserver.formatters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import dev.loralab.api.ProtoJson;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JavaScriptFormattersTest {

  private static ScheduledExecutorService watchdog;
  /** Generous time limit: these tests check behaviour, not speed. */
  private static JavaScriptFormatters js;

  @BeforeAll
  static void start() {
    watchdog = Executors.newSingleThreadScheduledExecutor();
    js = new JavaScriptFormatters(new JavaScriptLimits(Duration.ofSeconds(20), 100_000,
        1L << 30, 4096, 4096, Duration.ofMillis(10)), watchdog);
    js.warmUp();
  }

  @AfterAll
  static void stop() {
    js.close();
    watchdog.shutdownNow();
  }

  @Test
  void encodeDownlinkReturnsBytesAndFPort() {
    String script = """
        function encodeDownlink(input) {
          return { bytes: [input.data.level, 255 - input.data.level], fPort: 4, warnings: ["w"] };
        }
        """;
    EncodedPayload out = js.encodeDownlink(script,
        ProtoJson.parse("{\"level\":10}", Struct.newBuilder()).build(), 0);
    assertThat(out.frmPayload().toByteArray()).containsExactly(10, 245);
    assertThat(out.fPort()).hasValue(4);
    assertThat(out.warnings()).containsExactly("w");
  }

  @Test
  void encodeDownlinkRejectsNonBytes() {
    assertThatThrownBy(() -> js.encodeDownlink("function encodeDownlink(i) { return {bytes:[256]}; }",
        Struct.getDefaultInstance(), 1)).isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("bytes[0]").hasMessageContaining("0..255");
    assertThatThrownBy(() -> js.encodeDownlink("function encodeDownlink(i) { return {bytes:[1], fPort: 0}; }",
        Struct.getDefaultInstance(), 1)).isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("fPort");
  }

  @Test
  void decodeDownlinkSeesBytesAndPort() {
    DecodedPayload d = js.decodeDownlink(
        "function decodeDownlink(i) { return {data: {n: i.bytes.length, p: i.fPort}}; }",
        new byte[] {1, 2, 3}, 9);
    assertThat(d.data()).isEqualTo(ProtoJson.parse("{\"n\":3,\"p\":9}", Struct.newBuilder())
        .build());
  }

  @Test
  void errorsFromTheScriptFailTheDecode() {
    assertThatThrownBy(() -> js.decodeUplink(
        "function decodeUplink(i) { return {errors: ['unknown port']}; }", new byte[0], 1,
        Instant.EPOCH)).isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("unknown port");
  }

  @Test
  void missingFunctionAndSyntaxErrorsAreReported() {
    assertThatThrownBy(() -> js.decodeUplink("var x = 1;", new byte[0], 1, Instant.EPOCH))
        .isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("a function decodeUplink(input)");
    assertThatThrownBy(() -> js.decodeUplink("function decodeUplink(i) {", new byte[0], 1,
        Instant.EPOCH)).isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("syntax error");
  }

  @Test
  void statementLimitStopsLongLoops() {
    assertThatThrownBy(() -> js.decodeUplink(
        "function decodeUplink(i) { var n = 0; for (;;) { n++; } }", new byte[0], 1,
        Instant.EPOCH)).isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("100000 statements");
  }

  @Test
  void noHostAccess() {
    assertThatThrownBy(() -> js.decodeUplink(
        "function decodeUplink(i) { return {data: {c: Java.type('java.lang.System')}}; }",
        new byte[0], 1, Instant.EPOCH)).isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("Java");
    DecodedPayload d = js.decodeUplink("function decodeUplink(i) { return {data: {"
        + "java: typeof Java, polyglot: typeof Polyglot, require: typeof require}}; }",
        new byte[0], 1, Instant.EPOCH);
    assertThat(d.data().getFieldsOrThrow("java").getStringValue()).isEqualTo("undefined");
    assertThat(d.data().getFieldsOrThrow("polyglot").getStringValue()).isEqualTo("undefined");
    assertThat(d.data().getFieldsOrThrow("require").getStringValue()).isEqualTo("undefined");
  }

  @Test
  void oversizedScriptsAndResultsAreRejected() {
    assertThatThrownBy(() -> js.decodeUplink("//" + "x".repeat(5000), new byte[0], 1,
        Instant.EPOCH)).isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("at most 4096 characters");
    assertThatThrownBy(() -> js.decodeUplink(
        "function decodeUplink(i) { return {data: {s: 'y'.repeat(5000)}}; }", new byte[0], 1,
        Instant.EPOCH)).isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("result");
  }

  @Test
  void stateDoesNotLeakBetweenInvocations() {
    String script = "var count = (typeof count === 'undefined') ? 1 : count + 1;"
        + "function decodeUplink(i) { return {data: {count: count}}; }";
    for (int k = 0; k < 2; k++) {
      DecodedPayload d = js.decodeUplink(script, new byte[0], 1, Instant.EPOCH);
      assertThat(d.data().getFieldsOrThrow("count").getNumberValue()).isEqualTo(1);
    }
  }

  @Test
  void allocationLimitStopsMemoryHogs() {
    ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor();
    try (JavaScriptFormatters small = new JavaScriptFormatters(new JavaScriptLimits(
        Duration.ofSeconds(60), Long.MAX_VALUE, 16L << 20, 4096, 4096, Duration.ofMillis(5)), w)) {
      assertThatThrownBy(() -> small.decodeUplink("function decodeUplink(i) {"
          + " var a = []; for (;;) { a.push(new Array(10000).fill(i.fPort)); } }", new byte[0], 1,
          Instant.EPOCH)).isInstanceOf(PayloadFormatterException.class)
          .hasMessageContaining("allocation limit of 16777216 bytes");
    } finally {
      w.shutdownNow();
    }
  }
}
