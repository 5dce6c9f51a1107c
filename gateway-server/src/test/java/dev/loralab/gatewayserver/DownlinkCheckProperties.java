package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.gatewayserver.ScheduleException.Reason;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link DownlinkScheduler#check} refuses exactly when {@link DownlinkScheduler#schedule} would,
 * places the downlink where scheduling would, and reserves nothing.
 */
class DownlinkCheckProperties {

  private static final FrequencyPlanStore PLANS = FrequencyPlanStore.builtIn();
  private static final Eui64 GW = Eui64.parse("0102030405060708");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Bytes PAYLOAD = Bytes.parse("60040302010000000000AABBCCDD"); // 14 bytes
  private static final long[] EU868 = {868_100_000, 868_300_000, 868_500_000, 867_100_000,
      867_300_000, 867_500_000, 867_700_000, 867_900_000};

  /**
   * One downlink request: {@code advanceMs} after the previous one; class A (uplink heard
   * {@code lagMs} ago, its counter {@code tmstJitterUs} off the server's time) or class C
   * ({@code absoluteMs} ahead, or as soon as possible when negative).
   */
  record Op(int advanceMs, boolean classA, int lagMs, int tmstJitterUs, int channel, int sf,
      int payloadSize, int rx1DelayS, int windows, int absoluteMs) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op = Combinators.combine(List.of(
        Arbitraries.integers().between(0, 3_000),
        Arbitraries.integers().between(0, 9),
        Arbitraries.integers().between(0, 2_500),
        Arbitraries.integers().between(-200_000, 200_000),
        Arbitraries.integers().between(0, EU868.length - 1),
        Arbitraries.integers().between(7, 12),
        Arbitraries.integers().between(1, 70),
        Arbitraries.integers().between(1, 2),
        Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(-2_000, 30_000))).as(l -> new Op(l.get(0),
            l.get(1) < 8, l.get(2), l.get(3), l.get(4),
            l.get(5), l.get(6), l.get(7), l.get(8),
            l.get(9)));
    return op.list().ofMinSize(1).ofMaxSize(60);
  }

  /** What scheduling (or checking) gave: the placement, or the refused attempts. */
  private record Outcome(ScheduledDownlink placed, List<ScheduleException.Attempt> refused) {}

  private static Outcome outcome(Supplier<ScheduledDownlink> s) {
    try {
      return new Outcome(s.get(), null);
    } catch (ScheduleException e) {
      return new Outcome(null, e.attempts());
    }
  }

  @Property(tries = 200)
  void checkAnswersAsSchedulingWouldWithoutReserving(@ForAll("ops") List<Op> ops,
      @ForAll boolean dutyCycle) {
    MutableClock clock = new MutableClock(T0);
    // a duty-cycle window of 2 min (1 % = 1.2 s of airtime) runs out within a try
    GatewayServerConfig d = GatewayServerConfig.defaults();
    GatewayServerConfig config = new GatewayServerConfig(d.bindHost(), d.port(), d.udpLimits(),
        d.connectionIdleTimeout(), d.perAddressRate(), d.perAddressBurst(),
        d.scheduleAheadMargin(), d.gatewayQueueMargin(), d.maxScheduleAhead(),
        d.lateScheduleLead(), d.autoAcceptUnknownGateways(), d.defaultFrequencyPlanId(),
        d.enforceDutyCycle(), Duration.ofMinutes(2), d.logInterval(), d.housekeepingInterval(),
        d.udpReceiveBufferBytes(), d.downlinkGuardMargin());
    DownlinkScheduler scheduler = new DownlinkScheduler(config, clock);
    ConcentratorClock concentrator = new ConcentratorClock();
    concentrator.sync(4_000_000_000L, T0); // wraps within the first ~5 min
    GatewayTiming gw = new GatewayTiming(GW, PLANS.get("EU_863_870_TTN"), dutyCycle, 0,
        Optional.empty(), concentrator);
    for (Op op : ops) {
      clock.advance(Duration.ofMillis(op.advanceMs()));
      DownlinkRequest req = request(op, clock.instant());
      Outcome checked = outcome(() -> scheduler.check(gw, req));
      Outcome checkedAgain = outcome(() -> scheduler.check(gw, req));
      Outcome scheduled = outcome(() -> scheduler.schedule(gw, req));
      assertThat(checkedAgain).as("a check reserves nothing").isEqualTo(checked);
      assertThat(checked).as("check vs schedule of %s", op).isEqualTo(scheduled);
      Statistics.collect(checked.placed() != null ? "accepted"
          : checked.refused().get(checked.refused().size() - 1).reason());
    }
  }

  private static DownlinkRequest request(Op op, Instant now) {
    Bytes payload = Bytes.of(new byte[op.payloadSize()]);
    if (!op.classA()) {
      Optional<Instant> at = op.absoluteMs() < 0 ? Optional.empty()
          : Optional.of(now.plusMillis(op.absoluteMs()));
      return DownlinkRequest.classC(payload, at);
    }
    Instant receivedAt = now.minusMillis(op.lagMs());
    long micros = Duration.between(T0, receivedAt).toNanos() / 1000 + op.tmstJitterUs();
    long tmst = ConcentratorClock.add(4_000_000_000L, Duration.ofNanos(micros * 1000));
    UplinkToken token = new UplinkToken(GW, 0, tmst, receivedAt, EU868[op.channel()], true,
        op.sf(), 125_000, 1);
    return new DownlinkRequest(payload, Optional.of(token), Duration.ofSeconds(op.rx1DelayS()),
        0, Optional.empty(), Optional.empty(), op.windows() != 2, op.windows() != 1,
        Optional.empty());
  }

  @Example
  void aCheckDoesNotReserveTheSlotItAccepted() {
    MutableClock clock = new MutableClock(T0);
    DownlinkScheduler scheduler = new DownlinkScheduler(GatewayServerConfig.defaults(), clock);
    GatewayTiming gw = new GatewayTiming(GW, PLANS.get("EU_863_870_TTN"), true, 0,
        Optional.empty(), new ConcentratorClock());
    UplinkToken a = new UplinkToken(GW, 0, 1_000_000, T0, 868_100_000, true, 7, 125_000, 1);
    UplinkToken b = new UplinkToken(GW, 0, 1_020_000, T0.plusMillis(20), 868_300_000, true, 7,
        125_000, 1); // RX1 20 ms after a's: they overlap
    DownlinkRequest rx1OnlyA = new DownlinkRequest(PAYLOAD, Optional.of(a), Duration.ofSeconds(1),
        0, Optional.empty(), Optional.empty(), true, false, Optional.empty());
    DownlinkRequest rx1OnlyB = new DownlinkRequest(PAYLOAD, Optional.of(b), Duration.ofSeconds(1),
        0, Optional.empty(), Optional.empty(), true, false, Optional.empty());
    ScheduledDownlink checked = scheduler.check(gw, rx1OnlyA);
    assertThat(checked.window()).isEqualTo(RxWindow.RX1);
    assertThat(checked.txpk().tmst()).isEqualTo(2_000_000L);
    // the conflicting downlink is still scheduled: the check kept nothing
    assertThat(scheduler.schedule(gw, rx1OnlyB).window()).isEqualTo(RxWindow.RX1);
    // and now the check sees b's reservation, as scheduling does
    assertThatThrownBy(() -> scheduler.check(gw, rx1OnlyA))
        .isInstanceOfSatisfying(ScheduleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
    assertThatThrownBy(() -> scheduler.schedule(gw, rx1OnlyA))
        .isInstanceOfSatisfying(ScheduleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
  }

  @Example
  void aCheckRecordsNoDutyCycle() {
    MutableClock clock = new MutableClock(T0);
    DownlinkScheduler scheduler = new DownlinkScheduler(GatewayServerConfig.defaults(), clock);
    GatewayTiming gw = new GatewayTiming(GW, PLANS.get("EU_863_870_TTN"), true, 0,
        Optional.empty(), new ConcentratorClock());
    Bytes big = Bytes.of(new byte[51]);
    for (int i = 0; i < 100; i++) {
      UplinkToken t = new UplinkToken(GW, 0, 5 + i * 5_000_000L, clock.instant(), 868_100_000,
          true, 12, 125_000, 1);
      scheduler.check(gw, new DownlinkRequest(big, Optional.of(t), Duration.ofSeconds(1), 0,
          Optional.empty(), Optional.empty(), true, false, Optional.empty()));
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(scheduler.dutyCycleUsed(GW, 868_100_000)).isZero();
  }
}
