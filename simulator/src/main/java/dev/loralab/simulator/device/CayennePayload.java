package dev.loralab.simulator.device;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Sensor readings in Cayenne LPP: per reading {@code channel(1) | type(1) | value}, values
 * big-endian. Each sensor follows a bounded random walk, so consecutive readings are plausible.
 * Keeps per-device state: create one instance per device.
 */
public final class CayennePayload implements PayloadGenerator {

  /** Sensors and their LPP types. */
  public enum Sensor {
    /** Type 103, 2 bytes signed, 0.1 °C. */
    TEMPERATURE(103, 21.0, -20, 50, 0.3),
    /** Type 104, 1 byte, 0.5 %RH. */
    HUMIDITY(104, 55.0, 5, 100, 1.0),
    /** Type 115 (barometer), 2 bytes, 0.1 hPa. */
    PRESSURE(115, 1013.0, 950, 1050, 0.5),
    /** Type 101, 2 bytes unsigned, 1 lux. */
    ILLUMINANCE(101, 300.0, 0, 20000, 40),
    /** Type 2 (analog input), 2 bytes signed, 0.01: battery voltage. */
    BATTERY(2, 3.6, 2.8, 3.7, 0.01),
    /** Type 136, lat/lon 3 bytes signed 0.0001°, altitude 3 bytes signed 0.01 m. */
    GPS(136, 0, 0, 0, 0);

    final int type;
    final double start;
    final double min;
    final double max;
    final double step;

    Sensor(int type, double start, double min, double max, double step) {
      this.type = type;
      this.start = start;
      this.min = min;
      this.max = max;
      this.step = step;
    }
  }

  private final List<Sensor> sensors;
  private final double[] values;
  private final double latitude;
  private final double longitude;

  /**
   * @param sensors the readings, channel = position in the list + 1
   * @param latitude reported by a GPS sensor
   * @param longitude reported by a GPS sensor
   */
  public CayennePayload(List<Sensor> sensors, double latitude, double longitude) {
    if (sensors == null || sensors.isEmpty() || sensors.size() > 20) {
      throw new IllegalArgumentException("cayenne payload: 1..20 sensors expected");
    }
    this.sensors = List.copyOf(sensors);
    this.values = new double[sensors.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = sensors.get(i).start;
    }
    this.latitude = latitude;
    this.longitude = longitude;
  }

  @Override
  public byte[] next(long uplinkNumber, double secondsSinceStart, RandomGenerator random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < sensors.size(); i++) {
      Sensor s = sensors.get(i);
      if (uplinkNumber > 0 && s != Sensor.GPS) {
        values[i] = Math.max(s.min, Math.min(s.max, values[i] + (random.nextDouble() * 2 - 1) * s.step));
      }
      out.write(i + 1);
      out.write(s.type);
      switch (s) {
        case TEMPERATURE -> write(out, Math.round(values[i] * 10), 2);
        case HUMIDITY -> write(out, Math.round(values[i] * 2), 1);
        case PRESSURE -> write(out, Math.round(values[i] * 10), 2);
        case ILLUMINANCE -> write(out, Math.round(values[i]), 2);
        case BATTERY -> write(out, Math.round(values[i] * 100), 2);
        case GPS -> {
          write(out, Math.round(latitude * 10_000), 3);
          write(out, Math.round(longitude * 10_000), 3);
          write(out, 0, 3);
        }
      }
    }
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, long v, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)) & 0xFF);
    }
  }
}
