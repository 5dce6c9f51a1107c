package dev.loralab.cli.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.PHYVersion;
import dev.loralab.api.v3.Right;
import dev.loralab.cli.CliInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Flag value parsing of the entity commands. */
class ValuesTest {

  @Test
  void versions() {
    assertThat(Values.macVersion("f", "1.0.3")).isEqualTo(MACVersion.MAC_V1_0_3);
    assertThat(Values.macVersion("f", "MAC_V1_1")).isEqualTo(MACVersion.MAC_V1_1);
    assertThat(Values.macVersion("f", "1.1.0")).isEqualTo(MACVersion.MAC_V1_1);
    assertThat(Values.phyVersion("f", "1.0.3-a")).isEqualTo(PHYVersion.RP001_V1_0_3_REV_A);
    assertThat(Values.phyVersion("f", "PHY_V1_0_3_REV_A")).isEqualTo(PHYVersion.RP001_V1_0_3_REV_A);
    assertThat(Values.phyVersion("f", "RP001_V1_0_3_REV_A")).isEqualTo(PHYVersion.RP001_V1_0_3_REV_A);
    assertThat(Values.phyVersion("f", "RP002-1.0.4")).isEqualTo(PHYVersion.RP002_V1_0_4);
    assertThat(Values.phyVersion("f", "1.0.2-b")).isEqualTo(PHYVersion.RP001_V1_0_2_REV_B);
    assertThatThrownBy(() -> Values.macVersion("--lorawan-version", "2.0"))
        .isInstanceOf(CliInputException.class).hasMessageStartingWith("--lorawan-version: expected");
  }

  @Test
  void hexAndIds() {
    assertThat(Values.hex("f", "70:b3:d5:7e:d0:00:00:01", 16)).isEqualTo("70B3D57ED0000001");
    assertThat(Values.hex("f", "0x260b0001", 8)).isEqualTo("260B0001");
    assertThatThrownBy(() -> Values.hex("--dev-addr", "260B00", 8)).hasMessage(
        "--dev-addr: expected 8 hex digits, found '260B00'");
    assertThat(Values.id("f", "app-1")).isEqualTo("app-1");
    assertThatThrownBy(() -> Values.id("f", "App_1")).isInstanceOf(CliInputException.class);
    assertThatThrownBy(() -> Values.id("f", "a--b")).isInstanceOf(CliInputException.class);
    assertThatThrownBy(() -> Values.payloadHex("f", "010", 242)).isInstanceOf(CliInputException.class);
  }

  @Test
  void rightFlagsFollowTheEnum() {
    assertThat(RightFlags.flag(Right.RIGHT_APPLICATION_TRAFFIC_READ)).isEqualTo("--right-application-traffic-read");
    assertThat(RightFlags.flag(Right.RIGHT_APPLICATION_ALL)).isEqualTo("--right-application-all");
    assertThat(RightFlags.flag(Right.RIGHT_GATEWAY_ALL)).isEqualTo("--right-gateway-all");
  }

  @Property
  void errorsStayOnOneLine(@ForAll String value) {
    try {
      Values.hex("--dev-eui", value, 16);
    } catch (CliInputException e) {
      assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
    }
  }
}
