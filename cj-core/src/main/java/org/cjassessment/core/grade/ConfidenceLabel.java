package org.cjassessment.core.grade;

/**
 * A coarse label for a student's confidence (the probability of the most likely grade). Cut-offs: HIGH at
 * ≥ {@value #HIGH_AT_LEAST}, MID at ≥ {@value #MID_AT_LEAST} ("more likely than not"), LOW below.
 */
public enum ConfidenceLabel {
  HIGH,
  MID,
  LOW;

  public static final double HIGH_AT_LEAST = 0.75;
  public static final double MID_AT_LEAST = 0.5;

  /** The label for a confidence in [0, 1]. */
  public static ConfidenceLabel of(double confidence) {
    if (confidence >= HIGH_AT_LEAST) {
      return HIGH;
    }
    return confidence >= MID_AT_LEAST ? MID : LOW;
  }
}
