package org.cjassessment.core.grade;

import java.util.List;
import java.util.Optional;

/**
 * A grade that is not on the scale in use (neither one of its grades nor its below-lowest grade). The message names
 * the essay (when known), the grade, the scale and the valid grades.
 */
public final class UnknownGradeException extends IllegalArgumentException {

  private final String scaleId;
  private final String grade;
  private final String essayId;
  private final List<String> validGrades;

  UnknownGradeException(GradeScale scale, String grade, String essayId) {
    super(message(scale, grade, essayId));
    this.scaleId = scale.id();
    this.grade = grade;
    this.essayId = essayId;
    this.validGrades = scale.allGrades();
  }

  private static String message(GradeScale scale, String grade, String essayId) {
    String who = essayId == null ? "" : "anchor essay '" + essayId + "' has ";
    return who
        + "grade "
        + (grade == null ? "null" : "'" + grade + "'")
        + " which is not on grade scale "
        + scale.id()
        + "; valid grades are "
        + scale.allGrades()
        + " (exact, case-sensitive); fix the anchor's grade or register it on the right scale";
  }

  public String scaleId() {
    return scaleId;
  }

  /** The rejected grade, possibly null. */
  public String grade() {
    return grade;
  }

  /** The essay that carried the grade, when the grade came from an anchor. */
  public Optional<String> essayId() {
    return Optional.ofNullable(essayId);
  }

  public List<String> validGrades() {
    return validGrades;
  }
}
