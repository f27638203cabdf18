package org.cjassessment.core.grade;

import java.util.List;

/**
 * The outcome of projecting grades for one batch: {@link Projected} or, when the anchors cannot calibrate the scale,
 * {@link NotProjected} with the reason as a value. Either way the anchors' known grades are carried, so results can
 * report them (upstream reported every anchor as "U").
 */
public sealed interface GradeProjection {

  GradeScale scale();

  /** The anchors with their known grades, sorted by essay id. */
  List<AnchorGrade> anchors();

  /**
   * Grades were projected.
   *
   * @param calibration the fitted grade boundaries; can grade further essays of the same fit
   * @param students one entry per non-anchor essay, sorted by essay id
   */
  record Projected(
      GradeScale scale, GradeCalibration calibration, List<StudentGrade> students, List<AnchorGrade> anchors)
      implements GradeProjection {

    public Projected {
      students = List.copyOf(students);
      anchors = List.copyOf(anchors);
    }
  }

  /** No projection was possible; {@link #message()} says why and what would fix it. */
  record NotProjected(GradeScale scale, Reason reason, String message, List<AnchorGrade> anchors)
      implements GradeProjection {

    public NotProjected {
      anchors = List.copyOf(anchors);
    }
  }

  /** Why no grades were projected. */
  enum Reason {
    /** No essay in the fit has a known grade. */
    NO_ANCHORS,
    /** Every anchor has the same grade, so no boundary can be placed. */
    FEWER_THAN_TWO_ANCHOR_GRADES
  }
}
