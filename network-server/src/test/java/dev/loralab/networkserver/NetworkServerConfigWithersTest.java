package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.lorawan.NetId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every {@code with...} copy changes what it names and keeps every other setting. */
class NetworkServerConfigWithersTest {

  final NetworkServerConfig d = NetworkServerConfig.defaults();

  @Test
  void withTheCurrentValuesEveryCopyEqualsTheOriginal() {
    for (NetworkServerConfig copy : new NetworkServerConfig[] {
        d.withNetId(d.netId()), d.withDeduplication(d.deduplicationWindow(), d.cooldownWindow()),
        d.withAdrMarginDb(d.adrMarginDb()),
        d.withStatusCountPeriodicity(d.statusCountPeriodicity()),
        d.withDefaultRx1DelaySeconds(d.defaultRx1DelaySeconds()),
        d.withClassCRetryInterval(d.classCRetryInterval()),
        d.withDeduplicationEarlyClose(d.deduplicationEarlyClose()),
        d.withDeduplicationEarlyCloseDevAddrs(d.deduplicationEarlyCloseDevAddrs()),
        d.withMaxDeduplicationWindows(d.maxOpenDeduplicationWindows(),
            d.maxCoolingDeduplicationWindows()),
        d.withDeduplicationCooldownBatch(d.deduplicationCooldownBatch()),
        d.withInlineEarlyClosedUplinks(d.inlineEarlyClosedUplinks()),
        d.withMaxUplinksInFlight(d.maxUplinksInFlight()),
        d.withShedUplinkCounters(d.shedUplinkCounters()),
        d.withDownlinkRefusalBackoffMax(d.downlinkRefusalBackoffMax()),
        d.withDownlinkBackoffSlots(d.downlinkBackoffSlots())}) {
      assertThat(copy).isEqualTo(d);
    }
  }

  @Test
  void everyCopyChangesWhatItNames() {
    assertThat(d.withNetId(new NetId(0x13)).netId()).isEqualTo(new NetId(0x13));
    NetworkServerConfig dedup = d.withDeduplication(Duration.ofMillis(50), Duration.ofMillis(70));
    assertThat(dedup.deduplicationWindow()).isEqualTo(Duration.ofMillis(50));
    assertThat(dedup.cooldownWindow()).isEqualTo(Duration.ofMillis(70));
    assertThat(d.withAdrMarginDb(10).adrMarginDb()).isEqualTo(10);
    assertThat(d.withStatusCountPeriodicity(0).statusCountPeriodicity()).isZero();
    assertThat(d.withDefaultRx1DelaySeconds(2).defaultRx1DelaySeconds()).isEqualTo(2);
    assertThat(d.withClassCRetryInterval(Duration.ofSeconds(9)).classCRetryInterval())
        .isEqualTo(Duration.ofSeconds(9));
    assertThat(d.withDeduplicationEarlyClose(false).deduplicationEarlyClose()).isFalse();
    assertThat(d.withDeduplicationEarlyCloseDevAddrs(8).deduplicationEarlyCloseDevAddrs())
        .isEqualTo(8);
    NetworkServerConfig windows = d.withMaxDeduplicationWindows(12, 13);
    assertThat(windows.maxOpenDeduplicationWindows()).isEqualTo(12);
    assertThat(windows.maxCoolingDeduplicationWindows()).isEqualTo(13);
    assertThat(d.withDeduplicationCooldownBatch(Duration.ZERO).deduplicationCooldownBatch())
        .isEqualTo(Duration.ZERO);
    assertThat(d.withInlineEarlyClosedUplinks(false).inlineEarlyClosedUplinks()).isFalse();
    assertThat(d.withMaxUplinksInFlight(14).maxUplinksInFlight()).isEqualTo(14);
    assertThat(d.withShedUplinkCounters(15).shedUplinkCounters()).isEqualTo(15);
    assertThat(d.withDownlinkRefusalBackoffMax(0).downlinkRefusalBackoffMax()).isZero();
    assertThat(d.withDownlinkBackoffSlots(16).downlinkBackoffSlots()).isEqualTo(16);
  }

  @Test
  void theBackOffSettingsHaveTheirDefaultsAndAreValidated() {
    assertThat(d.downlinkRefusalBackoffMax()).isEqualTo(32);
    assertThat(d.downlinkBackoffSlots()).isEqualTo(65_536);
    assertThatThrownBy(() -> d.withDownlinkRefusalBackoffMax(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("downlinkRefusalBackoffMax");
    assertThatThrownBy(() -> d.withDownlinkBackoffSlots(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("downlinkBackoffSlots");
    assertThatThrownBy(() -> d.withDownlinkBackoffSlots((1 << 26) + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("downlinkBackoffSlots");
  }
}
