package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.gatewayserver.ScheduleException.Reason;
import dev.loralab.gatewayserver.udp.Datr;
import dev.loralab.gatewayserver.udp.Txpk;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DownlinkSchedulerTest {

  private static final FrequencyPlanStore PLANS = FrequencyPlanStore.builtIn();
  private static final Eui64 GW = Eui64.parse("0102030405060708");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Bytes PAYLOAD = Bytes.parse("60040302010000000000AABBCCDD"); // 14 bytes

  private final MutableClock clock = new MutableClock(T0);
  private final DownlinkScheduler scheduler =
      new DownlinkScheduler(GatewayServerConfig.defaults(), clock);

  private static GatewayTiming timing(String planId, boolean dutyCycle) {
    return new GatewayTiming(GW, PLANS.get(planId), dutyCycle, 0, Optional.empty(),
        new ConcentratorClock());
  }

  private UplinkToken token(long tmst, long frequencyHz, int sf, int bw) {
    return new UplinkToken(GW, 0, tmst, clock.instant(), frequencyHz, true, sf, bw, 1);
  }

  private static Datr.LoRa lora(Txpk t) {
    return (Datr.LoRa) t.datr();
  }

  @Test
  void eu868Rx1UsesUplinkFrequencyAndDataRate() {
    ScheduledDownlink d = scheduler.schedule(timing("EU_863_870_TTN", true),
        DownlinkRequest.classA(PAYLOAD, token(1_000_000, 868_300_000, 7, 125_000),
            Duration.ofSeconds(1), 0));
    assertThat(d.window()).isEqualTo(RxWindow.RX1);
    Txpk t = d.txpk();
    assertThat(t.tmst()).isEqualTo(2_000_000L);
    assertThat(t.frequencyHz()).isEqualTo(868_300_000L);
    assertThat(lora(t)).isEqualTo(new Datr.LoRa(7, 125_000));
    assertThat(t.codr()).isEqualTo("4/5");
    assertThat(t.ipol()).isTrue();
    assertThat(t.ncrc()).isTrue();
    assertThat(t.powe()).isEqualTo(14); // 16.15 dBm sub-band EIRP - 2.15
    assertThat(d.transmitAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void eu868Rx1DataRateOffset() {
    ScheduledDownlink d = scheduler.schedule(timing("EU_863_870_TTN", true),
        DownlinkRequest.classA(PAYLOAD, token(1_000_000, 868_100_000, 9, 125_000),
            Duration.ofSeconds(5), 2));
    assertThat(lora(d.txpk())).isEqualTo(new Datr.LoRa(11, 125_000)); // DR3 - 2 = DR1
    assertThat(d.txpk().tmst()).isEqualTo(6_000_000L);
  }

  @Test
  void eu868FallsBackToRx2WhenRx1IsTooLate() {
    UplinkToken tok = token(10_000_000, 868_500_000, 7, 125_000);
    clock.advance(Duration.ofMillis(900)); // RX1 would start in 100 ms < 300 ms margin
    ScheduledDownlink d = scheduler.schedule(timing("EU_863_870_TTN", true),
        DownlinkRequest.classA(PAYLOAD, tok, Duration.ofSeconds(1), 0));
    assertThat(d.window()).isEqualTo(RxWindow.RX2);
    assertThat(d.txpk().tmst()).isEqualTo(12_000_000L);
    assertThat(d.txpk().frequencyHz()).isEqualTo(869_525_000L);
    assertThat(lora(d.txpk())).isEqualTo(new Datr.LoRa(9, 125_000)); // TTN plan RX2 DR3
    assertThat(d.txpk().powe()).isEqualTo(27); // 29.15 dBm sub-band EIRP - 2.15
  }

  @Test
  void tooLateForBothWindowsListsBothReasons() {
    UplinkToken tok = token(10_000_000, 868_500_000, 7, 125_000);
    clock.advance(Duration.ofMillis(1900));
    assertThatThrownBy(() -> scheduler.schedule(timing("EU_863_870_TTN", true),
        DownlinkRequest.classA(PAYLOAD, tok, Duration.ofSeconds(1), 0)))
        .isInstanceOfSatisfying(ScheduleException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.TOO_LATE);
          assertThat(e.attempts()).extracting(ScheduleException.Attempt::window)
              .containsExactly(RxWindow.RX1, RxWindow.RX2);
          assertThat(e.getMessage()).startsWith("rx1: too_late").contains("rx2: too_late");
        });
  }

  @Test
  void measuredRoundTripShrinksTheMargin() {
    UplinkToken tok = token(10_000_000, 868_500_000, 7, 125_000);
    clock.advance(Duration.ofMillis(900)); // 100 ms ahead
    GatewayTiming fast = new GatewayTiming(GW, PLANS.get("EU_863_870_TTN"), true, 0,
        Optional.of(Duration.ofMillis(20)), new ConcentratorClock());
    ScheduledDownlink d = scheduler.schedule(fast,
        DownlinkRequest.classA(PAYLOAD, tok, Duration.ofSeconds(1), 0));
    assertThat(d.window()).isEqualTo(RxWindow.RX1); // 10 ms + 40 ms queue margin < 100 ms
  }

  @Test
  void us915Rx1IsUplinkChannelMod8On500kHz() {
    // FSB2 channel 13 = 902.3 + 13 * 0.2 = 904.9 MHz; 13 mod 8 = 5 -> 923.3 + 5 * 0.6 = 926.3 MHz
    FrequencyPlan plan = PLANS.get("US_902_928_FSB_2");
    ScheduledDownlink d = scheduler.schedule(timing("US_902_928_FSB_2", true),
        DownlinkRequest.classA(PAYLOAD, token(5, 904_900_000, 10, 125_000),
            Duration.ofSeconds(1), 0));
    assertThat(d.window()).isEqualTo(RxWindow.RX1);
    assertThat(d.txpk().frequencyHz()).isEqualTo(926_300_000L);
    assertThat(lora(d.txpk())).isEqualTo(new Datr.LoRa(10, 500_000)); // DR0 -> DR10
    assertThat(d.txpk().powe())
        .isEqualTo((int) Math.floor(plan.maxEirpDbm(926_300_000L) - 2.15));
  }

  @Test
  void us915Rx1DataRateOffsets() {
    // DR2 (SF8/125) on channel 8 (903.9 MHz -> 923.3 MHz): offset 1 -> DR11 (SF9/500)
    ScheduledDownlink d = scheduler.schedule(timing("US_902_928_FSB_2", true),
        DownlinkRequest.classA(PAYLOAD, token(5, 903_900_000, 8, 125_000),
            Duration.ofSeconds(1), 1));
    assertThat(d.txpk().frequencyHz()).isEqualTo(923_300_000L);
    assertThat(lora(d.txpk())).isEqualTo(new Datr.LoRa(9, 500_000));
    // DR3 (SF7/125) offset 3 -> DR10 (SF10/500)
    clock.advance(Duration.ofSeconds(10)); // the gateway's counter moved on as much
    ScheduledDownlink e = scheduler.schedule(timing("US_902_928_FSB_2", true),
        DownlinkRequest.classA(PAYLOAD, token(10_000_005, 903_900_000, 7, 125_000),
            Duration.ofSeconds(1), 3));
    assertThat(lora(e.txpk())).isEqualTo(new Datr.LoRa(10, 500_000));
  }

  @Test
  void us915Rx2() {
    ScheduledDownlink d = scheduler.schedule(timing("US_902_928_FSB_2", true),
        new DownlinkRequest(PAYLOAD, Optional.of(token(5, 904_900_000, 10, 125_000)),
            Duration.ofSeconds(1), 0, Optional.empty(), Optional.empty(), false, true,
            Optional.empty()));
    assertThat(d.window()).isEqualTo(RxWindow.RX2);
    assertThat(d.txpk().frequencyHz()).isEqualTo(923_300_000L);
    assertThat(lora(d.txpk())).isEqualTo(new Datr.LoRa(12, 500_000)); // DR8
    assertThat(d.txpk().tmst()).isEqualTo(2_000_005L);
  }

  @Test
  void as923Rx1SameFrequencyAndRaisingOffsets() {
    ScheduledDownlink d = scheduler.schedule(timing("AS_923", true),
        DownlinkRequest.classA(PAYLOAD, token(5, 923_200_000, 10, 125_000),
            Duration.ofSeconds(1), 6));
    assertThat(d.txpk().frequencyHz()).isEqualTo(923_200_000L);
    assertThat(lora(d.txpk())).isEqualTo(new Datr.LoRa(9, 125_000)); // DR2, offset 6 -> DR3
    clock.advance(Duration.ofSeconds(10)); // the gateway's counter moved on as much
    ScheduledDownlink e = scheduler.schedule(timing("AS_923", true),
        DownlinkRequest.classA(PAYLOAD, token(10_000_005, 923_400_000, 7, 125_000),
            Duration.ofSeconds(1), 2));
    assertThat(e.txpk().frequencyHz()).isEqualTo(923_400_000L);
    assertThat(lora(e.txpk())).isEqualTo(new Datr.LoRa(9, 125_000)); // DR5 - 2 = DR3
  }

  @Test
  void as923Rx2() {
    FrequencyPlan plan = PLANS.get("AS_923");
    ScheduledDownlink d = scheduler.schedule(timing("AS_923", true),
        new DownlinkRequest(PAYLOAD, Optional.of(token(5, 923_200_000, 10, 125_000)),
            Duration.ofSeconds(1), 0, Optional.empty(), Optional.empty(), false, true,
            Optional.empty()));
    assertThat(d.txpk().frequencyHz()).isEqualTo(plan.rx2Channel().frequencyHz());
    assertThat(d.txpk().frequencyHz()).isEqualTo(923_200_000L);
    assertThat(d.dataRateIndex()).isEqualTo(plan.rx2Channel().dataRate());
  }

  @Test
  void refusesOnceTheDutyCycleBudgetIsSpent() {
    // 868.1 MHz is in the 868.0-868.6 MHz sub-band: 1 % of 1 h = 36 s of airtime.
    GatewayTiming gw = timing("EU_863_870_TTN", true);
    Bytes big = Bytes.of(new byte[51]);
    ScheduleException refused = null;
    int sent = 0;
    for (int i = 0; i < 100 && refused == null; i++) {
      try {
        scheduler.schedule(gw, new DownlinkRequest(big,
            Optional.of(token(5 + i * 5_000_000L, 868_100_000, 12, 125_000)),
            Duration.ofSeconds(1), 0,
            Optional.empty(), Optional.empty(), true, false, Optional.empty()));
        sent++;
      } catch (ScheduleException e) {
        refused = e;
      }
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(refused).isNotNull();
    assertThat(refused.reason()).isEqualTo(Reason.DUTY_CYCLE);
    assertThat(sent).isBetween(10, 20); // 36 s / ~2.4 s per SF12 downlink
    assertThat(scheduler.dutyCycleUsed(GW, 868_100_000)).isLessThanOrEqualTo(Duration.ofSeconds(36));
  }

  @Test
  void dutyCycleCanBeDisabledPerGateway() {
    GatewayTiming gw = timing("EU_863_870_TTN", false);
    Bytes big = Bytes.of(new byte[51]);
    for (int i = 0; i < 40; i++) {
      scheduler.schedule(gw, new DownlinkRequest(big,
          Optional.of(token(5 + i * 5_000_000L, 868_100_000, 12, 125_000)),
          Duration.ofSeconds(1), 0,
          Optional.empty(), Optional.empty(), true, false, Optional.empty()));
      clock.advance(Duration.ofSeconds(5));
    }
  }

  @Test
  void refusesAnOverlapAndFallsBackToRx2() {
    GatewayTiming gw = timing("EU_863_870_TTN", true);
    UplinkToken a = token(1_000_000, 868_100_000, 7, 125_000); // RX1 airtime ~ 46 ms
    UplinkToken b = new UplinkToken(GW, 0, 1_020_000, clock.instant().plusMillis(20), 868_300_000,
        true, 7, 125_000, 1); // 20 ms later, another device
    scheduler.schedule(gw, DownlinkRequest.classA(PAYLOAD, a, Duration.ofSeconds(1), 0));
    DownlinkRequest rx1Only = new DownlinkRequest(PAYLOAD, Optional.of(b), Duration.ofSeconds(1),
        0, Optional.empty(), Optional.empty(), true, false, Optional.empty());
    assertThatThrownBy(() -> scheduler.schedule(gw, rx1Only))
        .isInstanceOfSatisfying(ScheduleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
    ScheduledDownlink d = scheduler.schedule(gw,
        DownlinkRequest.classA(PAYLOAD, b, Duration.ofSeconds(1), 0));
    assertThat(d.window()).isEqualTo(RxWindow.RX2);
  }

  /**
   * The overlap check runs on the gateway's counter: two uplinks 30 ms apart on the gateway,
   * the second delivered 170 ms later by UDP, give RX1 windows that look 200 ms apart in server
   * time but overlap at the gateway (which would answer COLLISION_PACKET).
   */
  @Test
  void overlapIsCheckedOnTheConcentratorCounterNotOnServerTime() {
    GatewayTiming gw = timing("EU_863_870_TTN", true);
    UplinkToken a = token(1_000_000, 868_100_000, 7, 125_000); // RX1 ~ 46 ms on air
    UplinkToken b = new UplinkToken(GW, 0, 1_030_000, clock.instant().plusMillis(200),
        868_300_000, true, 7, 125_000, 1);
    ScheduledDownlink first = scheduler.schedule(gw,
        DownlinkRequest.classA(PAYLOAD, a, Duration.ofSeconds(1), 0));
    assertThat(first.txpk().tmst()).isEqualTo(2_000_000L);
    // in server time they would not overlap: T0+1s..+46ms and T0+1.2s
    assertThat(first.transmitAt().plus(first.airtime())).isBefore(b.receivedAt().plusSeconds(1));
    DownlinkRequest rx1Only = new DownlinkRequest(PAYLOAD, Optional.of(b), Duration.ofSeconds(1),
        0, Optional.empty(), Optional.empty(), true, false, Optional.empty());
    assertThatThrownBy(() -> scheduler.schedule(gw, rx1Only))
        .isInstanceOfSatisfying(ScheduleException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
          assertThat(e.getMessage()).contains("tmst 2000000");
        });
    ScheduledDownlink d = scheduler.schedule(gw,
        DownlinkRequest.classA(PAYLOAD, b, Duration.ofSeconds(1), 0));
    assertThat(d.window()).isEqualTo(RxWindow.RX2);
    assertThat(d.txpk().tmst()).isEqualTo(3_030_000L);
  }

  /** The guard margin keeps downlinks apart on the counter, also across its wrap-around. */
  @Test
  void guardMarginSeparatesDownlinksAcrossTheCounterWrap() {
    GatewayTiming gw = timing("EU_863_870_TTN", false);
    long tmst = (1L << 32) - 1_000_000; // 1 s before the wrap: RX1 starts right at it
    ScheduledDownlink first = scheduler.schedule(gw,
        DownlinkRequest.classA(PAYLOAD, token(tmst, 868_100_000, 7, 125_000),
            Duration.ofSeconds(1), 0));
    assertThat(first.txpk().tmst()).isZero();
    Duration offAir = PLANS.get("EU_863_870_TTN").timeOffAir().after(first.airtime());
    long freeFrom = (first.airtime().plus(offAir).toNanos() + 999) / 1000; // µs after the wrap
    long guard = GatewayServerConfig.DEFAULT_DOWNLINK_GUARD_MARGIN.toNanos() / 1000;
    DownlinkRequest insideGuard = new DownlinkRequest(PAYLOAD,
        Optional.of(new UplinkToken(GW, 0, ConcentratorClock.add(freeFrom, Duration.ofSeconds(-1))
            + guard / 2, clock.instant(), 868_300_000, true, 7, 125_000, 1)),
        Duration.ofSeconds(1), 0, Optional.empty(), Optional.empty(), true, false,
        Optional.empty());
    assertThatThrownBy(() -> scheduler.schedule(gw, insideGuard))
        .isInstanceOfSatisfying(ScheduleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
    ScheduledDownlink afterGuard = scheduler.schedule(gw, new DownlinkRequest(PAYLOAD,
        Optional.of(new UplinkToken(GW, 0, ConcentratorClock.add(freeFrom, Duration.ofSeconds(-1))
            + guard, clock.instant(), 868_300_000, true, 7, 125_000, 1)),
        Duration.ofSeconds(1), 0, Optional.empty(), Optional.empty(), true, false,
        Optional.empty()));
    assertThat(afterGuard.window()).isEqualTo(RxWindow.RX1);
    assertThat(afterGuard.txpk().tmst()).isEqualTo(freeFrom + guard);

    // without a guard margin the first slot after the time off air is free
    DownlinkScheduler noGuard = new DownlinkScheduler(
        GatewayServerConfig.defaults().withDownlinkGuardMargin(Duration.ZERO), clock);
    noGuard.schedule(gw, DownlinkRequest.classA(PAYLOAD, token(tmst, 868_100_000, 7, 125_000),
        Duration.ofSeconds(1), 0));
    assertThat(noGuard.schedule(gw, new DownlinkRequest(PAYLOAD,
        Optional.of(new UplinkToken(GW, 0, ConcentratorClock.add(freeFrom, Duration.ofSeconds(-1)),
            clock.instant(), 868_300_000, true, 7, 125_000, 1)),
        Duration.ofSeconds(1), 0, Optional.empty(), Optional.empty(), true, false,
        Optional.empty())).window()).isEqualTo(RxWindow.RX1);
  }

  @Test
  void tmstWrapsAround() {
    long tmst = (1L << 32) - 500_000; // 0.5 s before the counter wraps
    ScheduledDownlink d = scheduler.schedule(timing("EU_863_870_TTN", true),
        DownlinkRequest.classA(PAYLOAD, token(tmst, 868_100_000, 7, 125_000),
            Duration.ofSeconds(1), 0));
    assertThat(d.txpk().tmst()).isEqualTo(500_000L);
    clock.advance(Duration.ofSeconds(10));
    ScheduledDownlink rx2 = scheduler.schedule(timing("EU_863_870_TTN", true),
        new DownlinkRequest(PAYLOAD, Optional.of(token(tmst, 868_100_000, 7, 125_000)),
            Duration.ofSeconds(5), 0, Optional.empty(), Optional.empty(), false, true,
            Optional.empty()));
    assertThat(rx2.txpk().tmst()).isEqualTo(5_500_000L);
  }

  @Test
  void classCAsSoonAsPossible() {
    GatewayTiming unsynced = timing("EU_863_870_TTN", true);
    ScheduledDownlink imme = scheduler.schedule(unsynced,
        DownlinkRequest.classC(PAYLOAD, Optional.empty()));
    assertThat(imme.txpk().imme()).isTrue();
    assertThat(imme.transmitAt()).isEqualTo(T0.plusMillis(300));

    ConcentratorClock c = new ConcentratorClock();
    c.sync(1_000_000, T0);
    GatewayTiming synced = new GatewayTiming(GW, PLANS.get("EU_863_870_TTN"), true, 0,
        Optional.empty(), c);
    ScheduledDownlink next = scheduler.schedule(synced,
        DownlinkRequest.classC(PAYLOAD, Optional.empty()));
    // placed after the first one's time on air (+ time off air), on the gateway's counter
    assertThat(next.transmitAt()).isAfterOrEqualTo(imme.transmitAt().plus(imme.airtime()));
    assertThat(next.txpk().tmst()).isEqualTo(
        1_000_000L + Duration.between(T0, next.transmitAt()).toNanos() / 1000);
  }

  @Test
  void classCAbsoluteTime() {
    GatewayTiming unsynced = timing("EU_863_870_TTN", true);
    DownlinkRequest at = DownlinkRequest.classC(PAYLOAD, Optional.of(T0.plusSeconds(3)));
    assertThatThrownBy(() -> scheduler.schedule(unsynced, at))
        .isInstanceOfSatisfying(ScheduleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_CLOCK_SYNC));
    ConcentratorClock c = new ConcentratorClock();
    c.sync(4_294_000_000L, T0);
    GatewayTiming synced = new GatewayTiming(GW, PLANS.get("EU_863_870_TTN"), true, 0,
        Optional.empty(), c);
    ScheduledDownlink d = scheduler.schedule(synced, at);
    assertThat(d.txpk().tmst()).isEqualTo((4_294_000_000L + 3_000_000L) % (1L << 32));
    DownlinkRequest far = DownlinkRequest.classC(PAYLOAD, Optional.of(T0.plusSeconds(600)));
    assertThatThrownBy(() -> scheduler.schedule(synced, far))
        .isInstanceOfSatisfying(ScheduleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_FAR_AHEAD));
  }

  @Test
  void refusesWhatBreaksTheDownlinkDwellTime() {
    FrequencyPlan as = PLANS.get("AS_923");
    FrequencyPlan dwell = new FrequencyPlan(as.id() + "_DWELL_TEST", as.bandId(), as.name(),
        as.description(), as.baseFrequencyMhz(), as.subBands(), as.uplinkChannels(),
        as.downlinkChannels(), as.loraStandardChannel(), as.fskChannel(), as.rx2Channel(),
        as.timeOffAir(), new FrequencyPlan.DwellTime(false, true, Duration.ofMillis(100)),
        as.listenBeforeTalk(), as.maxEirpDbm(), as.pingSlot(), as.radios(), as.clockSource());
    GatewayTiming gw = new GatewayTiming(GW, dwell, true, 0, Optional.empty(),
        new ConcentratorClock());
    DownlinkRequest req = new DownlinkRequest(PAYLOAD, // SF10: ~300 ms on air
        Optional.of(token(5, 923_200_000, 10, 125_000)), Duration.ofSeconds(1), 0,
        Optional.empty(), Optional.empty(), true, false, Optional.empty());
    assertThatThrownBy(() -> scheduler.schedule(gw, req))
        .isInstanceOfSatisfying(ScheduleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DWELL_TIME));
  }

  @Test
  void refusesOversizedPayloads() {
    DownlinkRequest req = new DownlinkRequest(Bytes.of(new byte[100]),
        Optional.of(token(5, 868_100_000, 12, 125_000)), Duration.ofSeconds(1), 0,
        Optional.empty(), Optional.empty(), true, false, Optional.empty());
    assertThatThrownBy(() -> scheduler.schedule(timing("EU_863_870_TTN", true), req))
        .isInstanceOfSatisfying(ScheduleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE));
  }
}
