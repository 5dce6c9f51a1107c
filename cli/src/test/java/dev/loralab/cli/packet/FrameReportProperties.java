package dev.loralab.cli.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Arbitrary bytes through the decode report, with every key set: only domain errors escape. */
class FrameReportProperties {

  private static final AesKey K = AesKey.parse("000102030405060708090A0B0C0D0E0F");

  @Property
  void arbitraryBytesOnlyFailWithDomainErrors(@ForAll @Size(max = 300) byte[] phy, @ForAll boolean v11) {
    DecodeOptions all = new DecodeOptions(K, K, K, K, K, K, K, v11 ? MacVersion.V1_1 : MacVersion.V1_0_3,
        new DevNonce(1), new Eui64(2), new Eui64(3), null, 0, 0, 0);
    try {
      assertThat(FrameReport.render(phy, all).has("m_hdr")).isTrue();
    } catch (LoRaWanException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property
  void dataFramesWithAnyMTypeByteRender(@ForAll @Size(min = 12, max = 40) byte[] phy, @ForAll boolean v11) {
    // force Major 0 and a data MType so that most inputs get past the header checks
    phy[0] = (byte) (0x40 + ((phy[0] & 0x03) << 5));
    phy[5] &= (byte) 0xF0; // FOptsLen 0
    DecodeOptions all = new DecodeOptions(K, K, K, K, K, K, K, v11 ? MacVersion.V1_1 : MacVersion.V1_0_3,
        null, null, null, null, 0, 0, 0);
    try {
      assertThat(FrameReport.render(phy, all).has("mac_payload")).isTrue();
    } catch (LoRaWanException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
