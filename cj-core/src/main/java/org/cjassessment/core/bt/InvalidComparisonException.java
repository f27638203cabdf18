package org.cjassessment.core.bt;

/** A comparison that cannot be part of any fit (an essay against itself, a blank id, an impossible order). */
public final class InvalidComparisonException extends IllegalArgumentException {
  public InvalidComparisonException(String message) {
    super(message);
  }
}
