package org.cjassessment.core.grade;

import java.util.OptionalDouble;

/**
 * The ability interval (lower, upper] of one grade. An open end is an empty {@link OptionalDouble} (serialise it
 * as {@code null}), never ±∞ or the upstream ±1e10 stand-in.
 *
 * @param anchorCount how many anchors carried this grade
 */
public record GradeBand(String grade, OptionalDouble lower, OptionalDouble upper, int anchorCount) {

  public GradeBand {
    if (grade == null || lower == null || upper == null || anchorCount < 0) {
      throw new IllegalArgumentException("grade band needs a grade, both ends (possibly empty) and a count >= 0");
    }
  }
}
