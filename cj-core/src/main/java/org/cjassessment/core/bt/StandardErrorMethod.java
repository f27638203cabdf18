package org.cjassessment.core.bt;

/** How the standard errors were computed. */
public enum StandardErrorMethod {
  NONE,
  /** Dense inverse of the (penalised) information matrix. */
  EXACT,
  /** Second-order Neumann approximation for blocks above the exact limit; see docs/SCORING.md for its error. */
  APPROXIMATE
}
