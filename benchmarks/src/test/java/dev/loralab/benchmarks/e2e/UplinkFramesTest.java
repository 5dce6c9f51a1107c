package dev.loralab.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UplinkFramesTest {

  @Test
  void aPullRespIsAnsweredWithATxAckCarryingItsTokenAndTheGatewaysEui() {
    byte[] pullResp = {2, (byte) 0xAB, (byte) 0xCD, 0x03, '{', '}'};
    byte[] ack = UplinkFrames.txAckFor(pullResp, pullResp.length, 0x0102030405060708L);
    assertThat(ack).startsWith(2, (byte) 0xAB, (byte) 0xCD, 0x05, 1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(new String(ack, 12, ack.length - 12, StandardCharsets.US_ASCII))
        .isEqualTo("{\"txpk_ack\":{\"error\":\"NONE\"}}");
  }

  @Test
  void otherDatagramsGetNoTxAck() {
    byte[] pushAck = {2, 0, 1, 0x01};
    byte[] pullAck = {2, 0, 1, 0x04};
    byte[] v1PullResp = {1, 0, 1, 0x03};
    assertThat(UplinkFrames.txAckFor(pushAck, 4, 1L)).isNull();
    assertThat(UplinkFrames.txAckFor(pullAck, 4, 1L)).isNull();
    assertThat(UplinkFrames.txAckFor(v1PullResp, 4, 1L)).isNull();
    assertThat(UplinkFrames.txAckFor(new byte[] {2, 0}, 2, 1L)).isNull();
  }

  @Test
  void fCntOffsetsSpreadTheFleetEvenlyAndZeroSpreadKeepsItInStep() {
    int[] hits = new int[200];
    for (int device = 0; device < 10_000; device++) {
      long offset = UplinkFrames.fCntOffset(device, 200);
      assertThat(offset).isBetween(0L, 199L);
      hits[(int) offset]++;
      assertThat(UplinkFrames.fCntOffset(device, 0)).isZero();
    }
    // 10,000 devices over 200 offsets: every offset 50 times (73 is coprime with 200)
    assertThat(hits).containsOnly(50);
  }
}
