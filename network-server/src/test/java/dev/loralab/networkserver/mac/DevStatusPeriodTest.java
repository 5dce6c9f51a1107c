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
import org.junit.jupiter.api.Test;

/** The per-device period of the DevStatusReq ({@link DevStatus#period}, {@link DevStatus#due}). */
class DevStatusPeriodTest {

  @Property
  void aDevicesPeriodIsThePeriodicityLessAtMostAQuarter(@ForAll int devAddr,
      @ForAll @IntRange(min = 0, max = 1_000_000) int periodicity) {
    int p = DevStatus.period(periodicity, new DevAddr(devAddr));
    assertThat(p).isBetween(periodicity - periodicity / 4, periodicity);
    assertThat(DevStatus.period(periodicity, new DevAddr(devAddr))).as("fixed per DevAddr")
        .isEqualTo(p);
  }

  @Test
  void smallPeriodicitiesAreKeptExactly() {
    for (int periodicity = 0; periodicity < 4; periodicity++) {
      for (int devAddr = 0; devAddr < 100; devAddr++) {
        assertThat(DevStatus.period(periodicity, new DevAddr(devAddr))).isEqualTo(periodicity);
      }
    }
  }

  @Test
  void devAddrsAllocatedInSequenceGetPeriodsSpreadOverTheQuarter() {
    Map<Integer, Integer> count = new HashMap<>();
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      count.merge(DevStatus.period(200, new DevAddr(0x0010_0000 + i)), 1, Integer::sum);
    }
    // 51 possible periods (150..200): every one is used, none by more than twice its share
    assertThat(count.keySet()).hasSize(51);
    assertThat(count.values()).allMatch(c -> c < 2 * n / 51);
  }

  @Test
  void aDevStatusReqIsDueAfterTheDevicesPeriod() {
    DevAddr devAddr = new DevAddr(0x2601_1BDC);
    int period = DevStatus.period(200, devAddr);
    EndDevice.Builder d = EndDevice.newBuilder()
        .setLastDevStatusReceivedAt(Timestamp.newBuilder().setSeconds(1));
    d.getMacStateBuilder().setLastDevStatusFCntUp(1000);
    assertThat(DevStatus.due(d, 1000 + period - 1, 200, devAddr)).isFalse();
    assertThat(DevStatus.due(d, 1000 + period, 200, devAddr)).isTrue();
    assertThat(DevStatus.due(d, 1_000_000, 0, devAddr)).as("0: never by count").isFalse();

    EndDevice.Builder unknown = EndDevice.newBuilder();
    assertThat(DevStatus.due(unknown, 1, 200, devAddr)).as("status never reported").isTrue();
  }
}
