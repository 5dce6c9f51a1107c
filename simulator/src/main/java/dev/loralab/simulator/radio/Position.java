package dev.loralab.simulator.radio;

/**
 * A point in the simulation's local plane, in metres east ({@code x}) and north ({@code y}) of
 * the scenario origin.
 */
public record Position(double x, double y) {

  /** Rejects NaN and infinite coordinates. */
  public Position {
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      throw new IllegalArgumentException("position: finite coordinates expected, found (" + x + ", " + y + ")");
    }
  }

  /** The origin. */
  public static final Position ORIGIN = new Position(0, 0);

  /** Euclidean distance in metres. */
  public double distanceTo(Position o) {
    return Math.hypot(x - o.x, y - o.y);
  }
}
