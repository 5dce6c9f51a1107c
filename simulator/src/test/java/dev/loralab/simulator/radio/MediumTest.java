package dev.loralab.simulator.radio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediumTest {

  private static final long F1 = 868_100_000L;
  private static final long F2 = 868_300_000L;
  private static final RadioParameters NO_SHADOWING = RadioParameters.defaults().withSigma(0, 0);
  private static final RadioNode GW = RadioNode.gateway("gw", Position.ORIGIN);

  private static RadioNode device(String id, double x) {
    return RadioNode.device(id, new Position(x, 0));
  }

  @Test
  void rssiFallsWithDistanceAsConfigured() {
    Medium m = new Medium(NO_SHADOWING, 1);
    double previous = Double.MAX_VALUE;
    for (double d : new double[] {10, 100, 1000, 10_000}) {
      Transmission t = m.transmit(device("d" + d, d), F1, 7, 125_000, 14, 0, 50_000_000, "x");
      Reception r = m.receive(t, GW);
      // 14 dBm + 3 dBi + 0 dBi − (31.2 + 27·log10(d))
      double expected = 14 + 3 - (31.2 + 10 * 2.7 * Math.log10(d));
      assertThat(r.rssiDbm()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.rssiDbm()).isLessThan(previous);
      previous = r.rssiDbm();
    }
    // a decade costs 10·n dB
    RadioParameters steep = new RadioParameters(3.5, 1, 40, 0, 0, 6, true, 6, 0, 0);
    Medium s = new Medium(steep, 1);
    Transmission near = s.transmit(device("a", 100), F1, 7, 125_000, 14, 0, 1, "x");
    Transmission far = s.transmit(device("b", 1000), F2, 7, 125_000, 14, 0, 1, "x");
    assertThat(s.receive(near, GW).rssiDbm() - s.receive(far, GW).rssiDbm())
        .isCloseTo(35, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void snrIsRssiAboveTheNoiseFloorOfTheBandwidth() {
    Medium m = new Medium(NO_SHADOWING, 1);
    Transmission t = m.transmit(device("d", 500), F1, 7, 125_000, 14, 0, 1, "x");
    Reception r = m.receive(t, GW);
    // −174 + 10·log10(125000) + 6 = −117.03 dBm
    assertThat(r.snrDb()).isCloseTo(r.rssiDbm() + 117.03, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void framesBelowTheDemodulationFloorOfTheirSfAreLost() {
    Medium m = new Medium(NO_SHADOWING, 1);
    // at 15 km: RSSI = 17 − 31.2 − 27·4.176 = −126.96 dBm, SNR ≈ −9.9 dB
    RadioNode far = device("far", 15_000);
    Transmission sf7 = m.transmit(far, F1, 7, 125_000, 14, 0, 1, "x");
    Transmission sf12 = m.transmit(far, F1, 12, 125_000, 14, 10, 11, "x");
    assertThat(m.receive(sf7, GW).outcome()).isEqualTo(Reception.Outcome.BELOW_FLOOR); // floor −7.5 dB
    assertThat(m.receive(sf12, GW).outcome()).isEqualTo(Reception.Outcome.RECEIVED); // floor −20 dB
  }

  @Test
  void overlappingFramesOnTheSameChannelAndSfCollideUnlessOneCapturesTheReceiver() {
    Medium m = new Medium(NO_SHADOWING, 1);
    Transmission a = m.transmit(device("a", 1000), F1, 9, 125_000, 14, 0, 100, "a");
    Transmission b = m.transmit(device("b", 1100), F1, 9, 125_000, 14, 50, 150, "b");
    // similar power: both lost
    assertThat(m.receive(a, GW).outcome()).isEqualTo(Reception.Outcome.COLLIDED);
    assertThat(m.receive(b, GW).outcome()).isEqualTo(Reception.Outcome.COLLIDED);

    Medium c = new Medium(NO_SHADOWING, 1);
    Transmission strong = c.transmit(device("near", 100), F1, 9, 125_000, 14, 0, 100, "s");
    Transmission weak = c.transmit(device("far", 1000), F1, 9, 125_000, 14, 50, 150, "w");
    // 27 dB apart: the strong one captures the receiver, the weak one is lost
    assertThat(c.receive(strong, GW).outcome()).isEqualTo(Reception.Outcome.RECEIVED);
    assertThat(c.receive(weak, GW).outcome()).isEqualTo(Reception.Outcome.COLLIDED);
  }

  @Test
  void captureThresholdIsConfigurableAndCaptureCanBeSwitchedOff() {
    // 100 m vs 150 m: 27·log10(1.5) = 4.75 dB apart
    RadioParameters low = NO_SHADOWING.withCapture(true, 3);
    Medium m = new Medium(low, 1);
    Transmission s = m.transmit(device("s", 100), F1, 8, 125_000, 14, 0, 100, "s");
    m.transmit(device("w", 150), F1, 8, 125_000, 14, 0, 100, "w");
    assertThat(m.receive(s, GW).received()).isTrue();

    Medium high = new Medium(NO_SHADOWING.withCapture(true, 6), 1);
    Transmission s2 = high.transmit(device("s", 100), F1, 8, 125_000, 14, 0, 100, "s");
    high.transmit(device("w", 150), F1, 8, 125_000, 14, 0, 100, "w");
    assertThat(high.receive(s2, GW).outcome()).isEqualTo(Reception.Outcome.COLLIDED);

    Medium off = new Medium(NO_SHADOWING.withCapture(false, 6), 1);
    Transmission s3 = off.transmit(device("s", 10), F1, 8, 125_000, 14, 0, 100, "s");
    off.transmit(device("w", 10_000), F1, 8, 125_000, 14, 99, 200, "w");
    assertThat(off.receive(s3, GW).outcome()).isEqualTo(Reception.Outcome.COLLIDED);
  }

  @Test
  void differentSpreadingFactorsOrChannelsOrTimesDoNotCollide() {
    Medium m = new Medium(NO_SHADOWING, 1);
    Transmission a = m.transmit(device("a", 1000), F1, 7, 125_000, 14, 0, 100, "a");
    m.transmit(device("b", 1000), F1, 8, 125_000, 14, 0, 100, "b");
    m.transmit(device("c", 1000), F2, 7, 125_000, 14, 0, 100, "c");
    m.transmit(device("d", 1000), F1, 7, 125_000, 14, 100, 200, "d"); // starts when a ends
    m.transmit(device("e", 1000), F1, 7, 250_000, 14, 0, 100, "e");
    assertThat(m.receive(a, GW).outcome()).isEqualTo(Reception.Outcome.RECEIVED);
  }

  @Test
  void aTransmittingReceiverHearsNothing() {
    Medium m = new Medium(NO_SHADOWING, 1);
    Transmission up = m.transmit(device("a", 100), F1, 7, 125_000, 14, 0, 100, "a");
    m.transmit(GW, F2, 9, 125_000, 14, 50, 300, "downlink");
    assertThat(m.receive(up, GW).outcome()).isEqualTo(Reception.Outcome.RECEIVER_BUSY);
  }

  @Test
  void shadowingIsPerLinkSymmetricAndReproducible() {
    RadioParameters p = RadioParameters.defaults().withSigma(8, 0);
    Medium a = new Medium(p, 42);
    Medium b = new Medium(p, 42);
    RadioNode dev = device("dev", 1000);
    assertThat(a.linkShadowingDb(dev, GW)).isEqualTo(a.linkShadowingDb(GW, dev)).isEqualTo(b.linkShadowingDb(dev, GW));
    assertThat(a.linkShadowingDb(dev, GW)).isNotEqualTo(new Medium(p, 43).linkShadowingDb(dev, GW));
    double sum = 0;
    double sq = 0;
    int n = 2000;
    for (int i = 0; i < n; i++) {
      double x = a.linkShadowingDb(device("n" + i, 10), GW);
      sum += x;
      sq += x * x;
    }
    double mean = sum / n;
    double sigma = Math.sqrt(sq / n - mean * mean);
    assertThat(mean).isBetween(-1.0, 1.0);
    assertThat(sigma).isBetween(7.0, 9.0);
  }

  @Test
  void pruneForgetsOnlyFramesThatCanNoLongerOverlap() {
    Medium m = new Medium(NO_SHADOWING, 1);
    m.transmit(device("a", 10), F1, 7, 125_000, 14, 0, 100, "a");
    m.transmit(device("b", 10), F1, 7, 125_000, 14, 1_000, 1_100, "b");
    m.prune(1_150);
    assertThat(m.framesRemembered()).isEqualTo(1);
  }
}
