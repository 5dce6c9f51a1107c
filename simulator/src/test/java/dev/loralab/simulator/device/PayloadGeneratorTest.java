package dev.loralab.simulator.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.lorawan.Bytes;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadGeneratorTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void cayenneFirstReadingIsByteExact() {
    CayennePayload p = new CayennePayload(List.of(CayennePayload.Sensor.TEMPERATURE, CayennePayload.Sensor.HUMIDITY,
        CayennePayload.Sensor.PRESSURE, CayennePayload.Sensor.BATTERY, CayennePayload.Sensor.GPS), 52.3676, 4.9041);
    byte[] b = p.next(0, 0, new SplittableRandom(1));
    assertThat(HEX.formatHex(b)).isEqualTo(
        "01" + "67" + "00d2"        // ch 1, temperature, 21.0 °C = 210 × 0.1
        + "02" + "68" + "6e"        // ch 2, humidity, 55 % = 110 × 0.5
        + "03" + "73" + "2792"      // ch 3, barometer, 1013.0 hPa = 10130 × 0.1
        + "04" + "02" + "0168"      // ch 4, analog input, 3.60 V = 360 × 0.01
        + "05" + "88" + "07fd9c" + "00bf91" + "000000"); // ch 5, GPS 52.3676, 4.9041, 0 m
  }

  @Test
  void cayenneReadingsWalkWithinBounds() {
    CayennePayload p = new CayennePayload(List.of(CayennePayload.Sensor.HUMIDITY), 0, 0);
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 5000; i++) {
      int humidityHalfPercent = p.next(i, i, r)[2] & 0xFF;
      assertThat(humidityHalfPercent).isBetween(10, 200);
    }
  }

  @Test
  void scriptFieldsAreEvaluatedAndEncodedBigEndian() {
    ScriptPayload p = new ScriptPayload("u8(n % 256); i16(-(2 + 3) * 10); u32(t * 1000); u16(max(1, min(7, 3)))");
    byte[] b = p.next(258, 1.5, new SplittableRandom(1));
    assertThat(HEX.formatHex(b)).isEqualTo("02" + "ffce" + "000005dc" + "0003");
    ScriptPayload r = new ScriptPayload("u16(rand(3000, 3300)); u8(floor(abs(sin(t))*100))");
    byte[] x = r.next(0, 0, new SplittableRandom(1));
    assertThat(((x[0] & 0xFF) << 8) | (x[1] & 0xFF)).isBetween(3000, 3300);
  }

  @Test
  void scriptErrorsNameThePosition() {
    assertThatThrownBy(() -> new ScriptPayload("u8(n +)")).hasMessageContaining("at 3");
    assertThatThrownBy(() -> new ScriptPayload("u64(1)")).hasMessageContaining("type u8");
    assertThatThrownBy(() -> new ScriptPayload("u8(foo)")).hasMessageContaining("expected");
    assertThatThrownBy(() -> new ScriptPayload(" ; ")).hasMessageContaining("at least one field");
  }

  @Test
  void fixedAndRandomPayloads() {
    assertThat(new FixedPayload(Bytes.parse("0102")).next(0, 0, new SplittableRandom(1))).containsExactly(1, 2);
    SplittableRandom r = new SplittableRandom(2);
    RandomPayload p = new RandomPayload(3, 6);
    for (int i = 0; i < 100; i++) {
      assertThat(p.next(i, 0, r).length).isBetween(3, 6);
    }
    assertThatThrownBy(() -> new RandomPayload(5, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
