package dev.loralab.networkserver;

import static dev.loralab.networkserver.DataPathTest.abp10;
import static dev.loralab.networkserver.DataPathTest.statusKnown;
import static dev.loralab.networkserver.DeduplicationFlowTest.CONFIG;
import static dev.loralab.networkserver.DeduplicationFlowTest.forwardedFCnts;
import static dev.loralab.networkserver.DeduplicationFlowTest.uplink;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.networkserver.AsyncDeviceWriteTest.HoldingStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How often one data uplink is handed to the device executor on its way through the Network
 * Server, in the common case: one candidate device, idle lanes, the durable write completing on
 * the store's committer thread. Every hand-off is a wake-up and a context switch. Device work and
 * timers run on virtual time, the committer on a thread of its own.
 */
class UplinkHandOffTest {

  /** Counts what the Network Server hands to its device executor. */
  static final class CountingExecutor implements Executor {
    final Executor delegate;
    final AtomicInteger dispatched = new AtomicInteger();

    CountingExecutor(Executor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable r) {
      dispatched.incrementAndGet();
      delegate.execute(r);
    }
  }

  private final ExecutorService committer = Executors.newSingleThreadExecutor();
  private HoldingStore holding;
  private CountingExecutor counting;

  @AfterEach
  void stopCommitter() throws InterruptedException {
    committer.shutdownNow();
    committer.awaitTermination(60, TimeUnit.SECONDS);
  }

  private Harness harness(NetworkServerConfig config) {
    return Harness.withVirtualTime(config, s -> holding = new HoldingStore(s),
        e -> counting = new CountingExecutor(e));
  }

  /**
   * Sends uplink {@code fCnt} from gw1, lets its window close, completes its write on the
   * committer and runs what follows; returns the device executor hand-offs it took.
   */
  private int handOffs(Harness h, TestDevice d, int fCnt) throws Exception {
    int before = counting.dispatched.get();
    h.ns.handleUplink(TestDevice.copy(uplink(d, fCnt, false), "gw1", 5, -60, "U" + fCnt)).get();
    h.closeDeduplicationWindows();
    assertThat(holding.held).hasSize(1);
    CompletableFuture.runAsync(holding::completeOldest, committer).get(60, TimeUnit.SECONDS);
    h.runDue();
    assertThat(forwardedFCnts(h)).endsWith(fCnt);
    assertThat(holding.held).isEmpty();
    return counting.dispatched.get() - before;
  }

  /**
   * Without {@link NetworkServerConfig#inlineEarlyClosedUplinks}. Before: the DevAddr lane (1),
   * the device lane (2), the lane's resumption after the write (3). Now the device lane runs
   * inline on the DevAddr lane's thread when it is idle.
   */
  @Test
  void aDataUplinkTakesTwoHandOffsToTheDeviceExecutor() throws Exception {
    try (Harness h = harness(CONFIG.withInlineEarlyClosedUplinks(false))) {
      TestDevice d = abp10(h, "26011E41");
      statusKnown(h, d);
      // the first uplink of the DevAddr closes after its full window, on the timer
      assertThat(handOffs(h, d, 1)).isEqualTo(2);
      // the next closes early, on the thread handing in the copy
      assertThat(handOffs(h, d, 2)).isEqualTo(2);
      assertThat(h.device(d).getSession().getLastFCntUp()).isEqualTo(2);
    }
  }

  /**
   * With {@link NetworkServerConfig#inlineEarlyClosedUplinks} (the default): an uplink whose
   * window closes early is looked up and processed up to its write on the thread handing in its
   * copy; only the resumption after the write is a hand-off. A window closed by its timer still
   * hands on.
   */
  @Test
  void anEarlyClosedUplinkTakesOneHandOffToTheDeviceExecutor() throws Exception {
    assertThat(NetworkServerConfig.defaults().inlineEarlyClosedUplinks()).isTrue();
    try (Harness h = harness(CONFIG)) {
      TestDevice d = abp10(h, "26011E42");
      statusKnown(h, d);
      assertThat(handOffs(h, d, 1)).isEqualTo(2);
      assertThat(handOffs(h, d, 2)).isEqualTo(1);
      assertThat(handOffs(h, d, 3)).isEqualTo(1);
      assertThat(h.device(d).getSession().getLastFCntUp()).isEqualTo(3);
    }
  }

  @Test
  void inlineTheEarlyClosedUplinkIsWaitingForItsWriteWhenHandleUplinkReturns() throws Exception {
    try (Harness h = harness(CONFIG)) {
      TestDevice d = abp10(h, "26011E43");
      statusKnown(h, d);
      handOffs(h, d, 1);
      h.ns.handleUplink(TestDevice.copy(uplink(d, 2, false), "gw1", 5, -60, "U2")).get();
      // nothing run by the test since: the caller did it
      assertThat(holding.held).hasSize(1);
      assertThat(h.bus.count("ns.up.data.process")).isEqualTo(1);
      CompletableFuture.runAsync(holding::completeOldest, committer).get(60, TimeUnit.SECONDS);
      h.runDue();
      assertThat(forwardedFCnts(h)).containsExactly(1, 2);
    }
  }

  @Test
  void inlineAnUplinkOfABusyDeviceWaitsItsTurn() throws Exception {
    try (Harness h = harness(CONFIG)) {
      TestDevice d = abp10(h, "26011E44");
      statusKnown(h, d);
      handOffs(h, d, 1);
      h.ns.handleUplink(TestDevice.copy(uplink(d, 2, false), "gw1", 5, -60, "U2")).get();
      h.ns.handleUplink(TestDevice.copy(uplink(d, 3, false), "gw1", 5, -60, "U3")).get();
      h.runDue();
      // uplink 3 waits in the device's lane behind uplink 2's write
      assertThat(holding.held).hasSize(1);
      assertThat(holding.overlapping.get()).isZero();
      CompletableFuture.runAsync(holding::completeOldest, committer).get(60, TimeUnit.SECONDS);
      h.runDue();
      assertThat(holding.held).hasSize(1);
      CompletableFuture.runAsync(holding::completeOldest, committer).get(60, TimeUnit.SECONDS);
      h.runDue();
      assertThat(forwardedFCnts(h)).containsExactly(1, 2, 3);
      assertThat(h.device(d).getSession().getLastFCntUp()).isEqualTo(3);
    }
  }
}
