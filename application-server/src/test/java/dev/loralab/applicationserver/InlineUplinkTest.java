package dev.loralab.applicationserver;

import static dev.loralab.applicationserver.UplinkTest.session;
import static dev.loralab.applicationserver.UplinkTest.uplink;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.MessagePayloadFormatters;
import dev.loralab.api.v3.PayloadFormatter;
import dev.loralab.applicationserver.formatters.JavaScriptLimits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the AS processes a message from the Network Server
 * ({@link ApplicationServerConfig#uplinksInlineWhenIdle}): a data uplink of an idle device on
 * the calling thread, one hand-off less; everything else, and a JavaScript formatter, on the
 * worker executor.
 */
class InlineUplinkTest {

  /** Hands {@code up} in from this thread; returns the thread the subscriber saw it on. */
  private static Thread deliveredOn(AsTestFixture f, ApplicationUp up) throws Exception {
    List<Thread> on = new CopyOnWriteArrayList<>();
    try (AutoCloseable s = f.as.subscribe(u -> on.add(Thread.currentThread()))) {
      f.as.handleUplink(List.of(up)).get(60, TimeUnit.SECONDS);
    }
    assertThat(on).hasSize(1);
    return on.get(0);
  }

  @Test
  void aDataUplinkOfAnIdleDeviceIsProcessedOnTheCallersThreadByDefault() throws Exception {
    assertThat(ApplicationServerConfig.defaults().uplinksInlineWhenIdle()).isTrue();
    try (AsTestFixture f = new AsTestFixture()) {
      session(f);
      var done = f.as.handleUplink(List.of(uplink(1, 1, "A694642615")));
      // done by the time the call returns: nothing was handed to the executor
      assertThat(done).isDone();
      assertThat(f.bus.names()).containsExactly("as.up.data.receive", "as.up.data.forward");
      assertThat(deliveredOn(f, uplink(1, 2, "A694642615"))).isSameAs(Thread.currentThread());
    }
  }

  @Test
  void switchedOffEveryUplinkStartsOnTheExecutor() throws Exception {
    try (AsTestFixture f = new AsTestFixture(ApplicationServerConfig.defaults()
        .withUplinksInlineWhenIdle(false))) {
      session(f);
      assertThat(deliveredOn(f, uplink(1, 1, "A694642615"))).isNotSameAs(Thread.currentThread());
      assertThat(f.bus.names()).containsExactly("as.up.data.receive", "as.up.data.forward");
    }
  }

  @Test
  void otherMessagesStartOnTheExecutor() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      session(f);
      ApplicationUp queued = ApplicationUp.newBuilder().setEndDeviceIds(AsTestFixture.ids())
          .setDownlinkQueued(ApplicationDownlink.newBuilder().setFPort(1)).build();
      assertThat(deliveredOn(f, queued)).isNotSameAs(Thread.currentThread());
    }
  }

  @Test
  void aJavaScriptFormatterRunsOnTheExecutorEvenForAnInlineUplink() throws Exception {
    ApplicationServerConfig cfg = ApplicationServerConfig.defaults()
        .withJavaScript(JavaScriptLimits.defaults().withTimeLimit(Duration.ofSeconds(20)));
    try (AsTestFixture f = new AsTestFixture(cfg)) {
      session(f);
      f.store.setApplicationFormatters(AsTestFixture.ids().getApplicationIds(),
          MessagePayloadFormatters.newBuilder()
              .setUpFormatter(PayloadFormatter.FORMATTER_JAVASCRIPT)
              .setUpFormatterParameter("function decodeUplink(input) { return {data: {}}; }")
              .build());
      assertThat(deliveredOn(f, uplink(1, 1, "A694642615"))).isNotSameAs(Thread.currentThread());
      assertThat(f.bus.names()).containsExactly("as.up.data.receive", "as.up.data.forward");
    }
  }

  @Test
  void anUplinkMovingTheStoredAFCntDownOnContinuesOnTheExecutor() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      session(f);
      ApplicationUp up = uplink(1, 1, "A694642615");
      up = up.toBuilder().setUplinkMessage(up.getUplinkMessage().toBuilder().setLastAFCntDown(5))
          .build();
      // the session write is durable: not on the caller's thread
      assertThat(deliveredOn(f, up)).isNotSameAs(Thread.currentThread());
      assertThat(f.store.session(AsTestFixture.ids(UplinkTest.DEV_ADDR)).orElseThrow()
          .lastAFCntDown()).isEqualTo(5);
      // the same counter again: nothing to write, inline
      assertThat(deliveredOn(f, up)).isSameAs(Thread.currentThread());
    }
  }
}
