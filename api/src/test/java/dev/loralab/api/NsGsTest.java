package dev.loralab.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.DownlinkMessage;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class NsGsTest {

  /** A Gateway Server without the check (e.g. across gRPC) accepts it: callers go on as before. */
  @Test
  void theDefaultCheckAcceptsWithoutScheduling() {
    NsGs gs = down -> CompletableFuture.failedFuture(new AssertionError("not scheduled"));
    assertThat(gs.checkDownlink(DownlinkMessage.getDefaultInstance()))
        .isCompletedWithValue(null);
  }
}
