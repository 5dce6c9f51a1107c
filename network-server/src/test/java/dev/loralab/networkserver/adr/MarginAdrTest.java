package dev.loralab.networkserver.adr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.MACState.UplinkQuality;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.Bands;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarginAdrTest {

  static final Band EU = Bands.byId("EU_863_870");

  static List<UplinkQuality> uplinks(int n, int dr, float snr, int fCntStep) {
    List<UplinkQuality> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(UplinkQuality.newBuilder().setFCnt(i * fCntStep).setDataRateIndex(dr).setMaxSnr(snr)
          .build());
    }
    return l;
  }

  @Test
  void tooFewUplinksGiveNoDecision() {
    assertThat(new MarginAdr(15, 20).decide(uplinks(19, 0, 10, 1), EU, 0)).isEmpty();
  }

  @Test
  void marginRaisesTheDataRateFirst() {
    // SF12: 10 - (-20) - 15 = 15 dB = 5 steps: DR0 -> DR5
    assertThat(new MarginAdr(15, 20).decide(uplinks(20, 0, 10, 1), EU, 0))
        .contains(new AdrDecision(5, 0, 1));
    // SF12: 0 - (-20) - 15 = 5 dB = 1 step
    assertThat(new MarginAdr(15, 20).decide(uplinks(20, 0, 0, 1), EU, 0))
        .contains(new AdrDecision(1, 0, 1));
  }

  @Test
  void thenLowersThePowerAndRaisesItOnNegativeMargin() {
    // SF7: 20 - (-7.5) - 15 = 12.5 dB = 4 steps, DR5 is the maximum: TXPower 0 -> 4
    assertThat(new MarginAdr(15, 20).decide(uplinks(20, 5, 20, 1), EU, 0))
        .contains(new AdrDecision(5, 4, 1));
    // SF7: -4 - (-7.5) - 15 = -11.5 dB = -4 steps: TXPower 5 -> 1
    assertThat(new MarginAdr(15, 20).decide(uplinks(20, 5, -4, 1), EU, 5))
        .contains(new AdrDecision(5, 1, 1));
  }

  @Test
  void lossRaisesNbTrans() {
    // every second frame missing: 50 % loss
    assertThat(new MarginAdr(15, 20).decide(uplinks(20, 5, 0, 2), EU, 0).orElseThrow()
        .nbTrans()).isEqualTo(3);
  }
}
