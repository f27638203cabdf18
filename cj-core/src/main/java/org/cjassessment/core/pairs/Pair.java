package org.cjassessment.core.pairs;

/** A comparison to request: {@code first} is shown in position A, {@code second} in position B. */
public record Pair(String first, String second) {
  public Pair {
    if (first.equals(second)) {
      throw new IllegalArgumentException("an essay cannot be paired with itself: " + first);
    }
  }
}
