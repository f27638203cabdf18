package org.cjassessment.core.grade;

import java.util.List;

/** A grade scale id that is not one of {@link GradeScale#ids()}. The message lists the valid ids. */
public final class UnknownGradeScaleException extends IllegalArgumentException {

  private final String scaleId;
  private final List<String> validIds;

  UnknownGradeScaleException(String scaleId, List<String> validIds) {
    super(
        "unknown grade scale '"
            + scaleId
            + "'; valid scale ids are "
            + validIds
            + " (ids are exact and case-sensitive)");
    this.scaleId = scaleId;
    this.validIds = List.copyOf(validIds);
  }

  /** The rejected id, possibly null. */
  public String scaleId() {
    return scaleId;
  }

  public List<String> validIds() {
    return validIds;
  }
}
