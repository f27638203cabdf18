package org.cjassessment.core.batch;

/**
 * When a batch is precise enough to stop before its budget. Every configured part must hold; with none configured
 * there is no precision stop.
 *
 * @param reliability stop once the reliability (see {@link Precision#reliability()}) reaches this; 0 = not used
 * @param gradeConfidence a student's grade counts as settled when its most likely grade has at least this probability
 * @param gradeShare stop once at least this share of students have a settled grade; 0 = not used (and ignored for a
 *     batch without grades)
 * @param minAppearances precision is only trusted once the judged comparisons give every essay this many appearances
 *     on average (2 × judged / essays): below that, split-half and SSR are too noisy to stop on
 */
public record PrecisionTarget(double reliability, double gradeConfidence, double gradeShare, double minAppearances) {

  public PrecisionTarget {
    if (!(reliability >= 0 && reliability < 1)) {
      throw new IllegalArgumentException("reliability target must be in [0, 1) (0 = off), was " + reliability);
    }
    if (!(gradeConfidence > 0 && gradeConfidence <= 1)) {
      throw new IllegalArgumentException("grade confidence must be in (0, 1], was " + gradeConfidence);
    }
    if (!(gradeShare >= 0 && gradeShare <= 1)) {
      throw new IllegalArgumentException("grade share must be in [0, 1] (0 = off), was " + gradeShare);
    }
    if (!(minAppearances >= 0) || Double.isInfinite(minAppearances)) {
      throw new IllegalArgumentException("minimum appearances must be >= 0, was " + minAppearances);
    }
  }

  public static PrecisionTarget defaults() {
    return new PrecisionTarget(0.8, 0.7, 0, 4);
  }

  public static PrecisionTarget off() {
    return new PrecisionTarget(0, 0.7, 0, 4);
  }

  public boolean active() {
    return reliability > 0 || gradeShare > 0;
  }

  /** Whether every configured part holds for this snapshot. */
  public boolean met(BatchSnapshot s) {
    if (!active() || s.essays() == 0 || 2.0 * s.judged() / s.essays() < minAppearances) {
      return false;
    }
    Precision p = s.precision();
    if (reliability > 0 && (p.reliability().isEmpty() || p.reliability().getAsDouble() < reliability)) {
      return false;
    }
    boolean gradesCount = gradeShare > 0 && p.hasGrades();
    if (gradesCount && p.shareConfident(gradeConfidence) < gradeShare) {
      return false;
    }
    return reliability > 0 || gradesCount;
  }
}
