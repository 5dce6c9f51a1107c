package dev.loralab.applicationserver.formatters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.loralab.api.ProtoJson;
import dev.loralab.lorawan.HexBytes;
import org.junit.jupiter.api.Test;

/** Byte-exact Cayenne LPP vectors (from the Cayenne LPP documentation), both directions. */
class CayenneLppTest {

  private static byte[] hex(String s) {
    return HexBytes.parse("vector", s.replace(" ", ""));
  }

  private static Struct json(String s) {
    return ProtoJson.parse(s, Struct.newBuilder()).build();
  }

  private static void roundTrip(String bytes, String expectedJson) {
    Struct decoded = CayenneLpp.decode(hex(bytes));
    assertThat(decoded).isEqualTo(json(expectedJson));
    assertThat(HexBytes.format(CayenneLpp.encode(decoded))).isEqualTo(bytes.replace(" ", ""));
  }

  @Test
  void twoTemperatureSensors() {
    // 03 channel 3 | 67 temperature | 0110 = 272 -> 27.2 °C
    // 05 channel 5 | 67 temperature | 00FF = 255 -> 25.5 °C
    roundTrip("03 67 0110 05 67 00FF", "{\"temperature_3\":27.2,\"temperature_5\":25.5}");
  }

  @Test
  void negativeTemperature() {
    // 01 channel 1 | 67 temperature | FFD7 = -41 -> -4.1 °C
    roundTrip("01 67 FFD7", "{\"temperature_1\":-4.1}");
  }

  @Test
  void accelerometer() {
    // 06 channel 6 | 71 accelerometer | x 04D2 = 1234 -> 1.234 G | y FB2E = -1234 | z 0000
    roundTrip("06 71 04D2 FB2E 0000",
        "{\"accelerometer_6\":{\"x\":1.234,\"y\":-1.234,\"z\":0}}");
  }

  @Test
  void gps() {
    // 01 channel 1 | 88 GPS | lat 06765F = 423519 -> 42.3519° | lon F2960A = -879094 ->
    // -87.9094° | alt 0003E8 = 1000 -> 10 m
    roundTrip("01 88 06765F F2960A 0003E8",
        "{\"gps_1\":{\"latitude\":42.3519,\"longitude\":-87.9094,\"altitude\":10}}");
  }

  @Test
  void everyOtherType() {
    roundTrip("00 00 01", "{\"digital_in_0\":1}");            // digital input, 1 byte
    roundTrip("01 01 FF", "{\"digital_out_1\":255}");         // digital output, 1 byte
    roundTrip("02 02 FF38", "{\"analog_in_2\":-2}");          // analog input, -200 * 0.01
    roundTrip("03 03 0137", "{\"analog_out_3\":3.11}");       // analog output, 311 * 0.01
    roundTrip("04 65 FFFF", "{\"luminosity_4\":65535}");      // illuminance, unsigned lux
    roundTrip("05 66 01", "{\"presence_5\":1}");              // presence
    roundTrip("06 68 61", "{\"relative_humidity_6\":48.5}");  // humidity, 97 * 0.5 %
    roundTrip("07 73 2710", "{\"barometric_pressure_7\":1000}"); // 10000 * 0.1 hPa
    roundTrip("08 86 0064 FF9C 0000",                          // gyrometer, 0.01 °/s
        "{\"gyrometer_8\":{\"x\":1,\"y\":-1,\"z\":0}}");
  }

  @Test
  void emptyPayloadIsAnEmptyObject() {
    assertThat(CayenneLpp.decode(new byte[0])).isEqualTo(Struct.getDefaultInstance());
  }

  @Test
  void malformedInputNamesTheProblem() {
    assertThatThrownBy(() -> CayenneLpp.decode(hex("03")))
        .isInstanceOf(PayloadFormatterException.class).hasMessageContaining("offset 0");
    assertThatThrownBy(() -> CayenneLpp.decode(hex("03 67 01")))
        .isInstanceOf(PayloadFormatterException.class)
        .hasMessageContaining("temperature_3: expected 2 value bytes, found 1 bytes");
    assertThatThrownBy(() -> CayenneLpp.decode(hex("03 99 01")))
        .isInstanceOf(PayloadFormatterException.class).hasMessageContaining("0x99");
    assertThatThrownBy(() -> CayenneLpp.decode(hex("03 66 01 03 66 00")))
        .isInstanceOf(PayloadFormatterException.class).hasMessageContaining("repeated");
  }

  @Test
  void oneBitCorruptionOfTheTypeIsDetectedOrChangesTheValue() {
    byte[] good = hex("03 67 0110");
    for (int bit = 0; bit < 8; bit++) {
      byte[] bad = good.clone();
      bad[1] ^= (byte) (1 << bit);
      try {
        assertThat(CayenneLpp.decode(bad)).isNotEqualTo(CayenneLpp.decode(good));
      } catch (PayloadFormatterException e) {
        assertThat(e.field()).isNotEmpty();
      }
    }
  }

  @Test
  void encoderRejectsBadValues() {
    assertThatThrownBy(() -> CayenneLpp.encode(json("{\"temperature_1\":4000}")))
        .isInstanceOf(PayloadFormatterException.class).hasMessageContaining("-32768..32767");
    assertThatThrownBy(() -> CayenneLpp.encode(json("{\"temperature_256\":1}")))
        .isInstanceOf(PayloadFormatterException.class).hasMessageContaining("0..255");
    assertThatThrownBy(() -> CayenneLpp.encode(json("{\"wind_1\":1}")))
        .isInstanceOf(PayloadFormatterException.class).hasMessageContaining("wind_1");
    assertThatThrownBy(() -> CayenneLpp.encode(json("{\"gps_1\":{\"latitude\":1}}")))
        .isInstanceOf(PayloadFormatterException.class).hasMessageContaining("gps_1.longitude");
    assertThatThrownBy(() -> CayenneLpp.encode(json("{\"presence_1\":\"yes\"}")))
        .isInstanceOf(PayloadFormatterException.class).hasMessageContaining("a string");
    assertThatThrownBy(() -> CayenneLpp.encode(Struct.newBuilder().putFields("analog_in_1",
        Value.newBuilder().setNumberValue(1e300).build()).build()))
        .isInstanceOf(PayloadFormatterException.class);
  }
}
