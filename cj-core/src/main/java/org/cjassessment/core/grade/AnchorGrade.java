package org.cjassessment.core.grade;

/** An anchor essay with its known grade and its ability in the same fit. Anchors are never graded as students. */
public record AnchorGrade(String essayId, String grade, double ability, double standardError) {

  public AnchorGrade {
    if (essayId == null || grade == null) {
      throw new IllegalArgumentException("anchor needs an essay id and a grade, got " + essayId + "=" + grade);
    }
  }
}
