package dev.loralab.networkserver.mac;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.lorawan.DevAddr;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** When a device's periodic DevStatusReq is due ({@link DevStatus#phase}, {@link DevStatus#due}). */
class DevStatusPeriodTest {

  private static EndDevice.Builder reportedAt(long lastFCntUp) {
    EndDevice.Builder d = EndDevice.newBuilder()
        .setLastDevStatusReceivedAt(Timestamp.newBuilder().setSeconds(1));
    d.getMacStateBuilder().setLastDevStatusFCntUp((int) lastFCntUp);
    return d;
  }

  @Property
  void aDevicesPhaseIsWithinThePeriodAndFixedPerDevAddr(@ForAll int devAddr,
      @ForAll @IntRange(min = 0, max = 1_000_000) int periodicity) {
    int p = DevStatus.phase(periodicity, new DevAddr(devAddr));
    assertThat(p).isBetween(0, Math.max(0, periodicity - 1));
    assertThat(DevStatus.phase(periodicity, new DevAddr(devAddr))).as("fixed per DevAddr")
        .isEqualTo(p);
  }

  @Property
  void aDevStatusReqIsDueOnceInEveryPeriodicityUplinks(@ForAll int devAddr,
      @ForAll @IntRange(min = 1, max = 1_000) int periodicity,
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL - 3_000) long lastFCntUp) {
    DevAddr a = new DevAddr(devAddr);
    // Asked at lastFCntUp, the next request falls within the next `periodicity` uplinks, and from
    // then on every `periodicity` uplinks exactly.
    long first = -1;
    for (long f = lastFCntUp + 1; f <= lastFCntUp + periodicity; f++) {
      if (DevStatus.due(reportedAt(lastFCntUp), f, periodicity, a)) {
        first = f;
        break;
      }
    }
    assertThat(first).as("due within one period").isPositive();
    assertThat(DevStatus.due(reportedAt(first), first + periodicity - 1, periodicity, a)).isFalse();
    assertThat(DevStatus.due(reportedAt(first), first + periodicity, periodicity, a)).isTrue();
  }

  @Test
  void devicesCountingInStepAskAtUplinksSpreadOverTheWholePeriod() {
    // 10,000 DevAddrs allocated in sequence, all asked at uplink 1000 (a mass join): at which of
    // the next 200 uplinks each asks again. Every uplink is used, none by more than twice its share.
    Map<Long, Integer> count = new HashMap<>();
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      DevAddr a = new DevAddr(0x0010_0000 + i);
      for (long f = 1001; f <= 1200; f++) {
        if (DevStatus.due(reportedAt(1000), f, 200, a)) {
          count.merge(f, 1, Integer::sum);
          break;
        }
      }
    }
    assertThat(count.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(n);
    assertThat(count.keySet()).hasSize(200);
    assertThat(count.values()).allMatch(c -> c < 2 * n / 200);
  }

  @Test
  void aDevStatusReqIsDueWhenNeverReportedAndNeverByCountWithPeriodicityZero() {
    DevAddr devAddr = new DevAddr(0x2601_1BDC);
    assertThat(DevStatus.due(reportedAt(1000), 1_000_000, 0, devAddr)).as("0: never by count")
        .isFalse();
    assertThat(DevStatus.due(reportedAt(1000), 999, 200, devAddr)).as("counter behind the last")
        .isFalse();
    assertThat(DevStatus.due(EndDevice.newBuilder(), 1, 200, devAddr)).as("status never reported")
        .isTrue();
  }
}
