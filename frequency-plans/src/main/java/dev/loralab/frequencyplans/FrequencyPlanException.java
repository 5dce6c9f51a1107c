package dev.loralab.frequencyplans;

/**
 * Thrown for every invalid band, frequency-plan or regional-parameters input: an unknown band or
 * plan ID, a malformed plan file, a field with a wrong type or value, or an argument outside the
 * range a band defines. The message always names what was wrong; for plan files it names the plan,
 * the file and the field, e.g. {@code plan EU_863_870 (file EU_863_870.yml):
 * uplink-channels[3].frequency 875000000 is outside every sub-band}.
 */
public final class FrequencyPlanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String planId;
  private final String file;
  private final String field;

  /** A general error not tied to a plan file (bands, arguments, ledgers). */
  public FrequencyPlanException(String message) {
    super(message);
    this.planId = null;
    this.file = null;
    this.field = null;
  }

  private FrequencyPlanException(String planId, String file, String field, String message, Throwable cause) {
    super(message, cause);
    this.planId = planId;
    this.file = file;
    this.field = field;
  }

  /**
   * An error in one field of a plan file.
   *
   * @param planId the plan being resolved
   * @param file the file the field came from
   * @param field the field path, e.g. {@code uplink-channels[3].frequency}; null for the whole file
   * @param problem what is wrong, e.g. {@code 875000000 is outside every sub-band}
   */
  public static FrequencyPlanException inPlan(String planId, String file, String field, String problem) {
    return inPlan(planId, file, field, problem, null);
  }

  /** As {@link #inPlan(String, String, String, String)}, with a cause. */
  public static FrequencyPlanException inPlan(
      String planId, String file, String field, String problem, Throwable cause) {
    StringBuilder sb = new StringBuilder("plan ").append(planId).append(" (file ").append(file).append("): ");
    if (field != null) {
      sb.append(field).append(' ');
    }
    sb.append(problem);
    return new FrequencyPlanException(planId, file, field, sb.toString(), cause);
  }

  /** The plan ID, or null when the error is not about a plan file. */
  public String planId() {
    return planId;
  }

  /** The file name, or null when the error is not about a plan file. */
  public String file() {
    return file;
  }

  /** The field path, or null when the error concerns a whole file or no file. */
  public String field() {
    return field;
  }
}
